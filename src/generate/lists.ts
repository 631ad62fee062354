// The lists the generator draws from: audiences, platforms and objectives, each with the behaviour it brings.
// Edit this file to change them (see README "Data"); every number here is a multiplier or a typical value.

/** An audience segment; the multipliers scale the platform's typical values. */
export interface AudienceProfile {
  readonly label: string;
  /** Click-through rate, conversion rate, cost per 1,000 impressions and view time multipliers. */
  readonly ctr: number;
  readonly cvr: number;
  readonly cpm: number;
  readonly view: number;
}

/** The replaced system's eight segments, in its order. */
export const AUDIENCES: readonly AudienceProfile[] = [
  { label: 'Mujer 18-25', ctr: 1.25, cvr: 0.8, cpm: 0.85, view: 1.3 },
  { label: 'Mujer 26-35', ctr: 1.15, cvr: 1.15, cpm: 1.05, view: 1.1 },
  { label: 'Mujer 36-45', ctr: 1.0, cvr: 1.25, cpm: 1.1, view: 0.95 },
  { label: 'Mujer +46', ctr: 0.85, cvr: 1.1, cpm: 0.9, view: 0.85 },
  { label: 'Hombre 18-25', ctr: 1.1, cvr: 0.7, cpm: 0.8, view: 1.25 },
  { label: 'Hombre 26-35', ctr: 1.0, cvr: 1.0, cpm: 1.0, view: 1.0 },
  { label: 'Hombre 36-45', ctr: 0.9, cvr: 1.15, cpm: 1.15, view: 0.9 },
  { label: 'Hombre +46', ctr: 0.75, cvr: 1.05, cpm: 0.95, view: 0.8 },
];

/** A platform: typical values for one campaign-day-audience, and how its exports misspell its name. */
export interface PlatformProfile {
  /** The canonical label, as the master table stores it. */
  readonly label: string;
  /** Share of campaigns on this platform (weights, need not sum to 1). */
  readonly share: number;
  /** Typical cost per 1,000 impressions (currency units), click-through rate, conversion rate, order value. */
  readonly cpm: number;
  readonly ctr: number;
  readonly cvr: number;
  readonly orderValue: number;
  /** Typical seconds of video watched per view. */
  readonly viewSeconds: number;
  /** Spend multiplier on Saturdays and Sundays. */
  readonly weekend: number;
  /** Extra click-through multiplier per audience label; audiences not named get 1. */
  readonly affinity: Readonly<Record<string, number>>;
  /** Other spellings real exports use; the `platform_spelling` dirt picks one (see sql/models). */
  readonly spellings: readonly string[];
}

export const PLATFORMS: readonly PlatformProfile[] = [
  {
    label: 'Facebook Ads',
    share: 35,
    cpm: 7.5,
    ctr: 0.011,
    cvr: 0.028,
    orderValue: 48,
    viewSeconds: 8,
    weekend: 1.05,
    affinity: { 'Mujer 26-35': 1.15, 'Mujer 36-45': 1.2, 'Mujer +46': 1.25, 'Hombre +46': 1.15 },
    spellings: ['facebook ads', 'FB Ads', 'FACEBOOK ADS', ' Facebook Ads ', 'Facebook  Ads'],
  },
  {
    label: 'Google Ads',
    share: 30,
    cpm: 18,
    ctr: 0.034,
    cvr: 0.048,
    orderValue: 62,
    viewSeconds: 14,
    weekend: 0.85,
    affinity: { 'Hombre 26-35': 1.1, 'Hombre 36-45': 1.15 },
    spellings: [' Google ADS ', 'google ads', 'GOOGLE ADS', 'Google Ads '],
  },
  {
    label: 'TikTok Ads',
    share: 20,
    cpm: 5,
    ctr: 0.008,
    cvr: 0.014,
    orderValue: 34,
    viewSeconds: 11,
    weekend: 1.2,
    affinity: { 'Mujer 18-25': 1.45, 'Hombre 18-25': 1.4, 'Mujer +46': 0.6, 'Hombre +46': 0.55 },
    spellings: ['tiktok', 'Tiktok Ads', 'TIKTOK ADS', ' tiktok ads'],
  },
  {
    label: 'LinkedIn Ads',
    share: 15,
    cpm: 32,
    ctr: 0.0055,
    cvr: 0.04,
    orderValue: 210,
    viewSeconds: 6,
    weekend: 0.4,
    affinity: { 'Mujer 26-35': 1.2, 'Hombre 26-35': 1.2, 'Mujer 18-25': 0.7, 'Hombre 18-25': 0.7 },
    spellings: ['LinkedIn  Ads', 'linkedin ads', 'Linkedin Ads', 'LINKEDIN ADS '],
  },
];

/** A campaign objective: what the advertiser optimises for changes the whole funnel. */
export interface ObjectiveProfile {
  readonly name: string;
  readonly cpm: number;
  readonly ctr: number;
  readonly cvr: number;
  readonly view: number;
}

export const OBJECTIVES: readonly ObjectiveProfile[] = [
  { name: 'awareness', cpm: 0.7, ctr: 0.6, cvr: 0.5, view: 1.3 },
  { name: 'traffic', cpm: 1.0, ctr: 1.5, cvr: 0.8, view: 0.9 },
  { name: 'conversions', cpm: 1.3, ctr: 1.1, cvr: 1.8, view: 0.8 },
  { name: 'video views', cpm: 0.9, ctr: 0.7, cvr: 0.6, view: 1.8 },
];

/** Themes that make campaign names look like the ones media buyers write. */
export const THEMES = [
  'Always-on',
  'Spring Sale',
  'Summer Drop',
  'Back to School',
  'Black Friday',
  'Holiday',
  'Launch',
  'Retargeting',
  'Prospecting',
  'Brand Lift',
] as const;
