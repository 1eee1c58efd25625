-- Top stories of the day: the stories with an article that day, the widest carried first
-- (outlets, then distinct articles: syndicated copies count once), with the day's growth.
with today as (
    select story_id,
           count(*) filter (where duplicate_of is null) as articles_today
    from articles
    where day = $day and story_id is not null
    group by story_id
),
final as (
    select s.story_id, s.title, s.first_seen, s.last_seen, s.articles, s.copies, s.outlets,
           s.languages, s.themes, t.articles_today
    from stories s
    join today t using (story_id)
)
select * from final
order by outlets desc, articles desc, first_seen, story_id
limit $limit
