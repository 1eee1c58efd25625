-- evidence_sentence(evidence, title): the sentence that shows why a tag was given, from the
-- tag's evidence JSON (article_themes.evidence): its first body sentence (one that starts
-- after the title), else its first sentence (the title's). The digest shows this one.
create or replace macro evidence_sentence(evidence, title) as coalesce(
    (select json_extract_string(s.value, '$.text')
     from json_each(evidence, '$.sentences') s
     where cast(json_extract(s.value, '$.start') as integer) > length(coalesce(title, ''))
     order by cast(s.key as integer)
     limit 1),
    json_extract_string(evidence, '$.sentences[0].text')
)
