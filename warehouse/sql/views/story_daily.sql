-- story_daily: per day and story, the articles that appeared that day (syndicated copies
-- not counted), the copies, the outlets that carried it that day, and the story's running
-- total of articles up to that day (its growth).
create or replace view story_daily as
with members as (
    select story_id, day, source, language, duplicate_of
    from articles
    where story_id is not null
),
per_day as (
    select
        story_id,
        day,
        count(*) filter (where duplicate_of is null) as articles,
        count(*) filter (where duplicate_of is not null) as copies,
        count(distinct source) as outlets,
        list(distinct language order by language) filter (where language is not null) as languages
    from members
    group by story_id, day
),
final as (
    select
        day,
        story_id,
        articles,
        copies,
        outlets,
        languages,
        sum(articles) over (partition by story_id order by day
                            rows between unbounded preceding and current row) as articles_to_date
    from per_day
)
select * from final
