-- The master dataset: merges this run's clean rows (no quarantine reason) into campaign_daily.
-- Grain: one row per (campaign_id, date, target_audience), the natural key.
-- Dedup rule: for one key, the row from the raw file with the greatest lake key wins (batches are named by run
-- time, so that is the latest batch), and within one file the last line wins (clean_ads keeps file order, so the
-- greatest rowid). The rule does not depend on the order files were loaded in, so an incremental run and a
-- --full-refresh give the same master.
create table if not exists campaign_daily (
    campaign_id varchar not null,
    campaign_name varchar,
    date date not null,
    platform varchar not null,
    target_audience varchar not null,
    impressions bigint not null,
    clicks bigint not null,
    cost decimal(18, 2) not null,
    conversions bigint,
    revenue decimal(18, 2),
    video_view_time double,
    raw_file varchar not null,
    run_id varchar not null
);

-- Keys this run sent more than once, by hash. Nearly every key arrives once, so only the rows of these few keys
-- need ranking; a hash collision only sends a few more rows through the ranking, which gives the same result.
create or replace temp table repeated_keys as
select hash(campaign_id, date, target_audience) as key_hash
from clean_ads
where reason is null
group by key_hash
having count(*) > 1;

-- The dates this run and the stored master share: only there can a stored row have a key of this run (the key
-- holds the date). A first load has nothing stored and a nightly run brings a new day, so it is usually empty, and
-- the joins below then skip their scans.
create or replace temp table shared_dates as
select greatest(r.first_date, m.first_date) as first_date, least(r.last_date, m.last_date) as last_date
from (select min(date) as first_date, max(date) as last_date from clean_ads where reason is null) as r,
    (select min(date) as first_date, max(date) as last_date from campaign_daily) as m;

-- A stored row from a greater file key is newer data than any of this run's rows for its key: it stays (and those
-- rows are dropped below). Every other stored row with a key of this run is replaced.
delete from campaign_daily as d
using clean_ads as n, shared_dates as s
where n.reason is null
    and n.date between s.first_date and s.last_date
    and d.date between s.first_date and s.last_date
    and d.campaign_id = n.campaign_id and d.date = n.date and d.target_audience = n.target_audience
    and d.raw_file <= n.raw_file::varchar;

-- The stored rows left with a key of this run are newer than all of this run's rows for it: those keys are skipped.
create or replace temp table newer_stored_keys as
select d.campaign_id, d.date, d.target_audience
from campaign_daily as d, shared_dates as s
where d.date between s.first_date and s.last_date
    and exists (
        select 1 from clean_ads as n
        where n.reason is null
            and n.campaign_id = d.campaign_id and n.date = d.date and n.target_audience = d.target_audience
            and n.date between s.first_date and s.last_date
    );

-- Keys sent once: the row as it is.
insert into campaign_daily by name
select
    c.campaign_id, c.campaign_name, c.date, c.platform, c.target_audience,
    c.impressions, c.clicks, c.cost, c.conversions, c.revenue, c.video_view_time,
    c.raw_file::varchar as raw_file, {{ run_id }} as run_id
from clean_ads as c
anti join repeated_keys as k on k.key_hash = hash(c.campaign_id, c.date, c.target_audience)
anti join newer_stored_keys as d using (campaign_id, date, target_audience)
where c.reason is null;

-- Keys sent more than once: the latest row.
insert into campaign_daily by name
select
    c.campaign_id, c.campaign_name, c.date, c.platform, c.target_audience,
    c.impressions, c.clicks, c.cost, c.conversions, c.revenue, c.video_view_time,
    c.raw_file::varchar as raw_file, {{ run_id }} as run_id
from (select *, rowid as row_order from clean_ads where reason is null) as c
semi join repeated_keys as k on k.key_hash = hash(c.campaign_id, c.date, c.target_audience)
anti join newer_stored_keys as d using (campaign_id, date, target_audience)
qualify row_number() over (partition by c.campaign_id, c.date, c.target_audience order by c.raw_file desc, c.row_order desc) = 1;
