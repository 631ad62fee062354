import { describe, expect, it } from 'vitest';
import { matchLayout, parseHeader } from '../../src/sql/layouts.js';

describe('raw layouts', () => {
  it('reads a header line with BOM, CRLF, quotes and spaces', () => {
    expect(parseHeader('\uFEFF"Campaign_ID", date ,platform\r\n')).toEqual(['campaign_id', 'date', 'platform']);
  });

  it('tells the generator layout from the replaced system layout', () => {
    const ads = parseHeader(
      'campaign_id,campaign_name,date,platform,target_audience,impressions,clicks,ctr,cpc,cost,conversions,revenue,video_view_time',
    );
    const legacy = parseHeader('campaign_id,date,platform,target_audience,impressions,ctr,clicks,cpc,costo_total,video_view_time');
    expect(matchLayout(ads).layout?.name).toBe('ads');
    expect(matchLayout(legacy).layout?.name).toBe('legacy');
  });

  it('names the difference to the closest layout', () => {
    const m = matchLayout(
      parseHeader('campaign_id,date,platform,target_audience,impressions,ctr,clicks,cpc,cost_total,video_view_time,notes'),
    );
    expect(m.layout).toBeUndefined();
    expect(m).toMatchObject({ difference: expect.stringMatching(/legacy.*missing costo_total; unexpected cost_total, notes/) });
    const order = matchLayout(
      parseHeader('date,campaign_id,platform,target_audience,impressions,ctr,clicks,cpc,costo_total,video_view_time'),
    );
    expect(order).toMatchObject({ difference: expect.stringMatching(/out of order/) });
  });

  it('says a file has no header line when its first line holds none of the known column names', () => {
    const m = matchLayout(parseHeader('CMP-1,Spring sale,2026-03-02,Google Ads,Mujer 18-25,500,5,0.01,1.00,5.00,1,30.00,7.5'));
    expect(m).toMatchObject({
      difference: expect.stringMatching(/^no header line \(the first line has none of the known column names: "cmp-1,spring sale,/),
    });
  });
});
