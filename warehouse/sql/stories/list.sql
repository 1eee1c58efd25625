-- `mediawatch stories`: the stories with an article on $day, widest carried first, with
-- their growth (articles that day, and before it). $theme keeps the stories with an article
-- tagged with that theme; `story_focus` (when registered non-empty by the caller) keeps only
-- the stories it names.
with today as (
    select story_id,
           count(*) filter (where duplicate_of is null) as articles_today,
           count(distinct source) as outlets_today
    from articles
    where day = $day and story_id is not null
    group by story_id
),
final as (
    select s.story_id, s.title, s.first_seen, s.outlets, s.articles, s.copies, s.languages,
           s.themes, t.articles_today, t.outlets_today,
           s.articles - t.articles_today as articles_before
    from stories s
    join today t using (story_id)
    where ($theme is null or exists (
        select 1 from articles a join article_themes th using (article_id)
        where a.story_id = s.story_id and th.theme = $theme))
      and (not $focus_only or s.story_id in (select story_id from story_focus))
)
select * from final
order by outlets desc, articles desc, first_seen, story_id
limit $limit
