-- How text becomes index terms, for articles and queries alike (re-created whenever the
-- index is built or swapped in, so a warehouse always has the current rules).
--
-- tokenize: lower case, accents folded (ё -> е, é -> e), then split on anything that is
-- not a letter, digit or mark. A hyphen between two word characters stays, so weapon
-- systems and model numbers are one token: S-400 -> s-400, Su-57 -> su-57,
-- BrahMos-NG -> brahmos-ng; digits stay (2026, 400). Other hyphens and dashes split.
-- (An article is also indexed under the parts of a hyphenated token: update_index.sql.)
create or replace macro fts_main_articles.tokenize(s) as
    string_split_regex(
        regexp_replace(lower(strip_accents(cast(s as varchar))),
                       '(?:[^\pL\pN\pM\s-]|(?:^|[^\pL\pN\pM])-+|-+(?:[^\pL\pN\pM]|$))+', ' ', 'g'),
        '\s+');

-- stem_term: each word is stemmed in its own language, told by its script: Cyrillic with
-- Snowball's Russian stemmer (индии, индию -> инд), other words with Porter (English, as
-- the index always did: sanctions -> sanction). Tokens with a digit are kept whole.
create or replace macro fts_main_articles.stem_term(w) as
    case
        when regexp_matches(w, '[0-9]') then w
        when regexp_matches(w, '[а-я]') then stem(w, 'russian')
        else stem(w, 'porter')
    end;

-- match_bm25: DuckDB FTS's own BM25 macro (k1 = 1.2, b = 0.75; `fields`, `conjunctive`),
-- with the query's tokens stemmed by stem_term instead of one stemmer for all.
create or replace macro fts_main_articles.match_bm25(docname, query_string, fields := null,
                                                     k := 1.2, b := 0.75, conjunctive := 0) as (
    with tokens as (
        select distinct fts_main_articles.stem_term(w) as t
        from (select unnest(fts_main_articles.tokenize(query_string)) as w)
        where len(w) > 0
    ),
    fieldids as (
        select fieldid from fts_main_articles.fields
        where case when fields is null then 1
                   else field = any(select unnest(string_split(fields, ','))) end
    ),
    qtermids as (
        select termid from fts_main_articles.dict as dict, tokens where dict.term = tokens.t
    ),
    qterms as (
        select termid, docid from fts_main_articles.terms as terms
        where case when fields is null then 1 else fieldid = any(select * from fieldids) end
          and termid = any(select qtermids.termid from qtermids)
    ),
    term_tf as (
        select termid, docid, count(*) as tf from qterms group by docid, termid
    ),
    cdocs as (
        select docid from qterms group by docid
        having case when conjunctive then count(distinct termid) = (select count(*) from tokens)
                    else 1 end
    ),
    subscores as (
        select docs.docid, len, term_tf.termid, tf, df,
               log((((select num_docs from fts_main_articles.stats) - df) + 0.5) / (df + 0.5) + 1)
               * ((tf * (k + 1)) / (tf + k * (1 - b + b * (len / (select avgdl from fts_main_articles.stats)))))
                   as subscore
        from term_tf, cdocs, fts_main_articles.docs as docs, fts_main_articles.dict as dict
        where term_tf.docid = cdocs.docid and term_tf.docid = docs.docid
          and term_tf.termid = dict.termid
    ),
    scores as (select docid, sum(subscore) as score from subscores group by docid)
    select score from scores, fts_main_articles.docs as docs
    where scores.docid = docs.docid and docs.name = docname
);
