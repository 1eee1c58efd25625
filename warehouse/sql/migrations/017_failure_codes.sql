-- 017: a failure's kind as a fixed word (`code`), so failures group by code instead of by
-- the text of their reasons ("(0 words)" and "(2 words)" were two reasons). The codes are
-- extractors/records.py's FailureCode; `reason` keeps the sentence with the details.
alter table ingest_failures add column code varchar;

-- Failures recorded before the codes existed get theirs from the words their reasons began
-- with (the same sentences the code now writes); the next attempt rewrites them anyway.
update ingest_failures set code = case
    when reason like 'seeds folder not found%' then 'not_found'
    when reason like 'robots.txt%' then 'robots'
    when reason like 'refused%' then 'refused'
    when reason like 'too large%' or reason like '%over the % limit%' then 'too_large'
    when reason like 'not an HTML page%' or reason like 'Content-Type%' then 'wrong_type'
    when reason like 'undecodable body%' or reason like 'invalid JSON%'
         or reason like 'missing required field%' or reason like 'malformed XML%'
         or reason like 'not a feed%' then 'malformed'
    when reason like '%not UTF-8%' or reason like '%charset%' then 'charset'
    when reason like 'no article text found%' or reason like '%empty file%' then 'no_text'
    when reason like 'empty body%' then 'empty'
    when reason like 'more than % redirects%' then 'redirects'
    when reason like 'HTTP %' then 'http'
    when reason like 'interrupted%' then 'interrupted'
    when reason like '%Timeout%' or reason like '%Error: %' and stage in ('fetch', 'feed')
        then 'network'
    when reason like 'cannot read%' or reason like 'broken symbolic link%' then 'unreadable'
    when stage = 'extract' then 'extract_error'
    else 'malformed'
end;
