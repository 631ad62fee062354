-- Raw ad rows from this run's new CSV files, every field kept as text so nothing is lost before cleaning.
-- Grain: one row per data line of a new raw file. `raw_file` is the file's key in the lake.
create or replace temp table raw_ads as
select
    f.key as raw_file,
    r.* exclude (filename)
from read_csv(
    {{ raw_files }},
    header = true,
    -- Fixed dialect: the sniffer looks at one file, and a file without a quoted field would set quote = ''.
    delim = ',',
    quote = '"',
    escape = '"',
    filename = true,
    columns = {
        'campaign_id': 'varchar', 'campaign_name': 'varchar', 'date': 'varchar', 'platform': 'varchar',
        'target_audience': 'varchar', 'impressions': 'varchar', 'clicks': 'varchar', 'ctr': 'varchar',
        'cpc': 'varchar', 'cost': 'varchar', 'conversions': 'varchar', 'revenue': 'varchar',
        'video_view_time': 'varchar'
    }
) as r
join raw_file_map as f on f.path = r.filename;
