-- 010: the home country of each article's outlet (a gazetteer country id: 'Russia', 'India'),
-- from the JSONL `source_country`, the feed list's `country`, or the sources registry
-- (extractors/sources.toml, overridable by seeds/sources.toml); null when unknown. It says
-- which actors are domestic news to the article. Rows loaded before 010 stay null until
-- their text changes and they are loaded again.
alter table articles add column if not exists source_country varchar;
