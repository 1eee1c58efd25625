-- Stop words: function words that carry no subject, in English and Russian, kept out of
-- the index. Chosen for this domain, not copied whole from a general list: DuckDB's
-- default (571 English words) drops `us` (the US), `who` (the WHO), `not`, `against` and
-- content words such as `new`, `value`, `second`, `right` and `help`; with digits dropped
-- too, `S-400` became the stop word `s` and found nothing. Kept searchable here on
-- purpose: us, who, un, eu, no, not, against, after, before, over, under. Russian from
-- Snowball's list, without нет, не (negation) and против (against).
insert into fts_main_articles.stopwords
select distinct lower(strip_accents(w)) from (select unnest([
    -- English
    'a', 'an', 'the', 'and', 'or', 'but', 'if', 'then', 'than', 'so', 'as', 'of', 'at', 'by',
    'for', 'with', 'about', 'into', 'through', 'during', 'to', 'from', 'in', 'on', 'off',
    'up', 'down', 'out', 'again', 'further', 'once', 'here', 'there', 'when', 'where', 'why',
    'how', 'all', 'any', 'both', 'each', 'few', 'more', 'most', 'other', 'some', 'such',
    'only', 'own', 'same', 'too', 'very', 'can', 'will', 'just', 'should', 'would', 'could',
    'now', 'i', 'me', 'my', 'myself', 'we', 'our', 'ours', 'ourselves', 'you', 'your',
    'yours', 'yourself', 'yourselves', 'he', 'him', 'his', 'himself', 'she', 'her', 'hers',
    'herself', 'it', 'its', 'itself', 'they', 'them', 'their', 'theirs', 'themselves',
    'what', 'which', 'whom', 'this', 'that', 'these', 'those', 'am', 'is', 'are', 'was',
    'were', 'be', 'been', 'being', 'have', 'has', 'had', 'having', 'do', 'does', 'did',
    'doing', 'also', 'said', 'says', 'while', 'because', 'until', 'between', 'above',
    'below', 's', 't', 'd', 'll', 'm', 're', 've', 'don', 'doesn', 'didn', 'isn', 'aren',
    'wasn', 'weren', 'hasn', 'haven', 'hadn', 'wouldn', 'shouldn', 'couldn',
    -- Russian
    'и', 'в', 'во', 'что', 'он', 'на', 'я', 'с', 'со', 'как', 'а', 'то', 'все', 'она', 'так',
    'его', 'но', 'да', 'ты', 'к', 'у', 'же', 'вы', 'за', 'бы', 'по', 'только', 'ее', 'мне',
    'было', 'вот', 'от', 'меня', 'еще', 'о', 'из', 'ему', 'теперь', 'когда', 'даже', 'ну',
    'вдруг', 'ли', 'если', 'уже', 'или', 'ни', 'быть', 'был', 'него', 'до', 'вас',
    'нибудь', 'опять', 'уж', 'вам', 'ведь', 'там', 'потом', 'себя', 'ничего', 'ей', 'может',
    'они', 'тут', 'где', 'есть', 'надо', 'ней', 'для', 'мы', 'тебя', 'их', 'чем', 'была',
    'сам', 'чтоб', 'без', 'будто', 'чего', 'раз', 'тоже', 'себе', 'под', 'будет', 'ж',
    'тогда', 'кто', 'этот', 'того', 'потому', 'этого', 'какой', 'совсем', 'ним', 'здесь',
    'этом', 'один', 'почти', 'мой', 'тем', 'чтобы', 'нее', 'сейчас', 'были', 'куда',
    'зачем', 'всех', 'никогда', 'можно', 'при', 'наконец', 'два', 'об', 'другой', 'хоть',
    'после', 'над', 'больше', 'тот', 'через', 'эти', 'нас', 'про', 'всего', 'них', 'какая',
    'много', 'разве', 'три', 'эту', 'моя', 'впрочем', 'хорошо', 'свою', 'этой', 'перед',
    'иногда', 'лучше', 'чуть', 'том', 'нельзя', 'такой', 'им', 'более', 'всегда',
    'конечно', 'всю', 'между', 'это', 'также', 'которые', 'который', 'которая', 'которых'
]) as w);
