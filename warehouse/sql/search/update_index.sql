-- Bring the BM25 index (fts_main_articles) up to date with the articles in the temp table
-- or view `fts_incoming` (article_id, day, title, text: new, or changed since they were
-- indexed, as stored; indexed: it may have an indexed version). A full build is the same
-- statements over every article on empty tables (create_index.sql), so an index kept up
-- to date batch by batch equals a rebuild: the same documents and lengths, term
-- occurrences, document frequencies and statistics (docid and termid numbers differ, and
-- BM25 does not read them). tests/warehouse/test_search.py compares the two.
-- Tokens, stems and stop words: macros.sql and stopwords.sql.
--
-- Layout, for search/search.sql: docids are numbered in day order (a full build numbers
-- every article so; a load's new articles, mostly recent, come after), and postings go in
-- sorted by (termid, docid). A search then reads the row groups holding its terms only, and
-- within them, with a --since filter, mostly the recent docids. A load appends its own
-- postings after the sorted ones; sort_postings (warehouse/search.py) sorts them in again
-- once they pass a share of the table.

-- 1. Forget the indexed versions of changed articles.
create or replace temp table fts_stale as
    select docid from fts_main_articles.docs
    where name in (select article_id from fts_incoming where indexed);
update fts_main_articles.dict d set df = d.df - s.n
from (select termid, count(distinct docid) as n
      from fts_main_articles.terms
      where docid in (select docid from fts_stale)
      group by termid) s
where d.termid = s.termid;
delete from fts_main_articles.terms where docid in (select docid from fts_stale);
delete from fts_main_articles.dict where df = 0;
delete from fts_main_articles.docs where docid in (select docid from fts_stale);

-- 2. Tokenise the new versions: lower-cased, accents folded, stop words out, each word
--    stemmed in its own language.
create or replace temp table fts_new_docs as
    select (select coalesce(max(docid), -1) from fts_main_articles.docs)
               + row_number() over (order by a.day, a.article_id) as docid,
           a.article_id as name, a.title, a.text
    from fts_incoming a;
create or replace temp table fts_new_terms as
    with tokens as materialized (
        select unnest(fts_main_articles.tokenize(d.title)) as w, d.docid, 0 as fieldid
        from fts_new_docs d
        union all
        select unnest(fts_main_articles.tokenize(d.text)) as w, d.docid, 1 as fieldid
        from fts_new_docs d
    ),
    tokenized as (
        -- an article is also indexed under the parts of its hyphenated tokens, so that
        -- `400` finds S-400 and `missile` finds anti-missile (a query keeps its tokens
        -- whole: `S-400` does not find every 400)
        select w, docid, fieldid from tokens
        union all
        select unnest(string_split(w, '-')) as w, docid, fieldid
        from tokens where contains(w, '-')
    )
    select fts_main_articles.stem_term(w) as term, docid, fieldid
    from tokenized
    where w is not null and len(w) > 0
      and w not in (select sw from fts_main_articles.stopwords);

-- 3. Add them: new terms to the dictionary, occurrences, document frequencies, documents.
insert into fts_main_articles.dict (termid, term, df)
    select (select coalesce(max(termid), -1) from fts_main_articles.dict)
               + row_number() over (order by term), term, 0
    from (select distinct term from fts_new_terms) new_terms
    where term not in (select term from fts_main_articles.dict);
insert into fts_main_articles.terms (docid, fieldid, termid)
    select t.docid, t.fieldid, d.termid
    from fts_new_terms t join fts_main_articles.dict d using (term)
    order by d.termid, t.docid;
update fts_main_articles.dict d set df = d.df + n.n
from (select term, count(distinct docid) as n from fts_new_terms group by term) n
where d.term = n.term;
insert into fts_main_articles.docs (docid, name, len)
    select d.docid, d.name, count(t.term)
    from fts_new_docs d left join fts_new_terms t using (docid)
    group by d.docid, d.name;
update fts_main_articles.stats
set num_docs = (select count(*) from fts_main_articles.docs),
    avgdl = coalesce((select sum(len) / count(len) from fts_main_articles.docs), 0);

drop table fts_stale;
drop table fts_new_docs;
drop table fts_new_terms;
