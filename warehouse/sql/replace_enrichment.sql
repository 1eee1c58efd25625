-- Replace the tags, actors and focus marks of the articles in `enriched_ids` (article_id,
-- stored: false for an article new to the warehouse, which has no rows to delete)
-- with the new ones in `enriched_tags`, `enriched_actors` and `enriched_focus`: the one rule
-- for a batch load (its new and changed articles) and a retag (a page of stored articles).
-- An article with no new row of a kind keeps none of that kind; rows of articles not in
-- `enriched_ids` are ignored (a load's unchanged articles keep their own).
delete from article_themes where article_id in (select article_id from enriched_ids where stored);
insert into article_themes by name
select t.* from enriched_tags t semi join enriched_ids using (article_id);

delete from article_actors where article_id in (select article_id from enriched_ids where stored);
insert into article_actors by name
select x.* from enriched_actors x semi join enriched_ids using (article_id);

delete from article_focus where article_id in (select article_id from enriched_ids where stored);
insert into article_focus by name
select f.* from enriched_focus f semi join enriched_ids using (article_id);
