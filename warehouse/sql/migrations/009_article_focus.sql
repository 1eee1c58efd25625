-- 009: how much each article is about the relationship the analyst follows (the `focus`
-- setting, default "India, Russia"). The rule is written in extractors/focus.py and
-- docs/taxonomy.md: a party is named by the country or one of its gazetteer actors; `score`
-- is the share of focus parties named; `is_focus` = every one of them named.
create table if not exists article_focus (
    article_id varchar primary key,
    focus      varchar not null,     -- the focus in force when the mark was made
    score      double not null,      -- share of the focus parties named, 0..1
    is_focus   boolean not null,     -- every focus party named: a focus article
    parties    varchar[] not null    -- the focus parties the article names
);
