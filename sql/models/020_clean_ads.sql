-- Cleans this run's raw rows: trims text, normalises platform labels, repairs thousands separators and parses
-- numbers strictly. A row that cannot be repaired keeps its values and gets a `reason`; the pipeline then puts it
-- in the quarantine with its raw text (`raw`) and line.
-- Grain: one row per raw row, in the raw files' order. Keep it that way (no ORDER BY, GROUP BY or reordering join
-- over raw_ads): the pipeline numbers each file's lines from the rows' storage order (rowid), and fails the run
-- when a file's rows are not together. Every raw row must be here: the pipeline counts a file's lines from it.
--
-- Reasons, first match wins: missing_key (campaign_id or target_audience empty), bad_date (not a real YYYY-MM-DD
-- date, e.g. 2026-02-30), date_out_of_range (before 2000-01-01 or after the run's date), empty_numeric
-- (impressions, clicks, cost, conversions or revenue empty), number_out_of_range (a plain number too big for
-- BIGINT counts or DECIMAL(18,2) money), not_a_number (a number that does not parse, e.g. 'n/a', 'NaN', 'inf',
-- '1e400' or '12.5' as a count), unknown_platform (no alias below matches), negative_cost,
-- negative_number (impressions, clicks, conversions or revenue below zero), clicks_above_impressions.
-- Conversions above clicks are not repaired or quarantined here: the check conversions_within_clicks reports them.

-- '1,234.5' -> '1234.5': only well-formed groups of three digits count as thousands separators.
create or replace temp macro unformat(s) as
    case
        when contains(s, ',') and regexp_full_match(trim(s), '-?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?') then replace(trim(s), ',', '')
        else s
    end;

-- Strict numbers (spaces around them allowed): counts are whole numbers ('12.5' is not a count), amounts are plain
-- decimals ('1e3', '.5' or 'n/a' are not numbers). Anything else gives NULL, which 'reason' below explains.
create or replace temp macro parse_count(s) as
    case when regexp_full_match(s, ' *-?[0-9]{1,18} *') then cast(s as bigint) end;
create or replace temp macro parse_amount(s) as
    case when regexp_full_match(s, ' *-?[0-9]{1,15}([.][0-9]+)? *') then cast(s as double) end;
create or replace temp macro parse_money(s) as
    case when regexp_full_match(s, ' *-?[0-9]{1,15}([.][0-9]+)? *') then cast(s as decimal(18, 2)) end;
-- A count or an amount written as plain digits that parse_count / parse_money refused: too many digits to store.
create or replace temp macro too_big_count(s) as regexp_full_match(s, ' *-?[0-9]{19,} *');
create or replace temp macro too_big_money(s) as regexp_full_match(s, ' *-?[0-9]{16,}([.][0-9]+)? *');

-- trim(s), but only when s starts or ends with a space: trimming copies the string, which for 10 million long
-- campaign names costs seconds, while almost every value arrives already trimmed.
create or replace temp macro trim_spaces(s) as
    case when starts_with(s, ' ') or ends_with(s, ' ') then trim(s) else s end;

-- Platform labels are compared after lower-casing and dropping everything but letters: 'FB Ads', ' fb-ads ' and
-- 'fbads' are one alias. Add an alias as one more `when` line. The four labels as written skip the regex.
create or replace temp macro platform_of(spelling) as
    case
        when spelling in ('Facebook Ads', 'Google Ads', 'TikTok Ads', 'LinkedIn Ads') then spelling
        else case regexp_replace(lower(spelling), '[^a-z]', '', 'g')
            when 'facebookads' then 'Facebook Ads'
            when 'facebook' then 'Facebook Ads'
            when 'fbads' then 'Facebook Ads'
            when 'fb' then 'Facebook Ads'
            when 'metaads' then 'Facebook Ads'
            when 'meta' then 'Facebook Ads'
            when 'googleads' then 'Google Ads'
            when 'google' then 'Google Ads'
            when 'adwords' then 'Google Ads'
            when 'googleadwords' then 'Google Ads'
            when 'tiktokads' then 'TikTok Ads'
            when 'tiktok' then 'TikTok Ads'
            when 'linkedinads' then 'LinkedIn Ads'
            when 'linkedin' then 'LinkedIn Ads'
        end
    end;

create or replace temp table clean_ads as
with texts as (
    select
        raw_file,
        -- The row as it arrived; kept below (as JSON) only for rows that get a reason.
        r as raw,
        trim_spaces(campaign_id) as campaign_id,
        nullif(trim_spaces(campaign_name), '') as campaign_name,
        date as date_text,
        platform as platform_spelling,
        trim_spaces(target_audience) as target_audience,
        unformat(impressions) as impressions_text,
        unformat(clicks) as clicks_text,
        unformat(cost) as cost_text,
        unformat(conversions) as conversions_text,
        unformat(revenue) as revenue_text,
        video_view_time as video_view_time_text
    from raw_ads as r
),

parsed as (
    select
        t.*,
        case when length(trim_spaces(t.date_text)) = 10 then try_cast(trim_spaces(t.date_text) as date) end as date,
        platform_of(t.platform_spelling) as platform,
        parse_count(t.impressions_text) as impressions,
        parse_count(t.clicks_text) as clicks,
        parse_money(t.cost_text) as cost,
        parse_count(t.conversions_text) as conversions,
        parse_money(t.revenue_text) as revenue,
        parse_amount(nullif(trim(t.video_view_time_text), '')) as video_view_time
    from texts as t
),

reasons as (
    select
        raw_file,
        raw,
        campaign_id,
        campaign_name,
        date,
        platform,
        target_audience,
        impressions,
        clicks,
        cost,
        conversions,
        revenue,
        video_view_time,
        case
            when campaign_id = '' or target_audience = '' then 'missing_key'
            when date is null then 'bad_date'
            when date < date '2000-01-01' or date > cast({{ run_date }} as date) then 'date_out_of_range'
            -- A NULL text is a column the layout lacks (conversions, revenue in legacy files): allowed.
            when impressions is null or clicks is null or cost is null
                or (conversions is null and conversions_text is not null)
                or (revenue is null and revenue_text is not null)
                or (video_view_time is null and trim(video_view_time_text) <> '') then
                case
                    when trim(impressions_text) = '' or trim(clicks_text) = '' or trim(cost_text) = ''
                        or trim(conversions_text) = '' or trim(revenue_text) = '' then 'empty_numeric'
                    when too_big_count(impressions_text) or too_big_count(clicks_text) or too_big_count(conversions_text)
                        or too_big_money(cost_text) or too_big_money(revenue_text) then 'number_out_of_range'
                    else 'not_a_number'
                end
            when platform is null then 'unknown_platform'
            when cost < 0 then 'negative_cost'
            when impressions < 0 or clicks < 0 or conversions < 0 or revenue < 0 then 'negative_number'
            when clicks > impressions then 'clicks_above_impressions'
        end as reason
    from parsed
)

-- `raw` is JSON text: a NULL text costs a row almost nothing, while a NULL struct still stores all its fields.
select * exclude (raw), case when reason is not null then to_json(raw) end as raw
from reasons;
