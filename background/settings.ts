/** The user's options (storage.local "settings"), with defaults for every key. */
import type { PolicyName } from '../src/policy/evaluate.js';

export interface Settings {
  /** Notifications on or off (the badge always shows). */
  readonly warnings: boolean;
  /** Hosts never warned about ("don't warn again"). */
  readonly exceptions: readonly string[];
  /** The policy that colours the badge. */
  readonly badgePolicy: PolicyName;
  /** Check chains to private roots (company CAs, local development) instead of calling them not-applicable. */
  readonly checkPrivateRoots: boolean;
  /** Extra logs: a v3-schema log list (JSON text), for private and test logs. */
  readonly extraLogList: string | null;
  /** Extra logs: PEM public keys. */
  readonly extraLogKeys: readonly string[];
  /** Fetch Google's signed log list once a day (reveals nothing about browsing). */
  readonly autoUpdateLogList: boolean;
  /**
   * Check inclusion automatically (off by default): asks the logs for proofs of the certificates
   * you visit, once their SCTs are older than the logs' MMD — which tells the log operators which
   * certificates you look at.
   */
  readonly autoInclusion: boolean;
  /**
   * Fetch a certificate's issuer from the caIssuers URL it names (RFC 5280 §4.2.2.1) when ctlens
   * holds no issuer for it (Chromium's automatic checks see the leaf alone). On by default: the
   * request tells the CA's server only that someone sees a certificate from that CA.
   */
  readonly fetchIssuers: boolean;
  /**
   * Witnesses whose cosignatures inclusion checks look for: a C2SP tlog-policy file's text
   * (src/witness/policy.ts), or null (none, the default). Asking a witness reveals only which log
   * is being checked.
   */
  readonly witnessPolicy: string | null;
}

export const DEFAULT_SETTINGS: Settings = {
  warnings: true,
  exceptions: [],
  badgePolicy: 'chrome',
  checkPrivateRoots: false,
  extraLogList: null,
  extraLogKeys: [],
  autoUpdateLogList: true,
  autoInclusion: false,
  fetchIssuers: true,
  witnessPolicy: null,
};

/** Fills defaults and drops what is not a setting; never trusts stored values' types. */
export function normalizeSettings(value: unknown): Settings {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const bool = (key: keyof Settings) =>
    typeof v[key] === 'boolean' ? (v[key] as boolean) : (DEFAULT_SETTINGS[key] as boolean);
  const strings = (key: keyof Settings) =>
    Array.isArray(v[key]) ? (v[key] as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  return {
    warnings: bool('warnings'),
    exceptions: strings('exceptions')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    badgePolicy:
      v.badgePolicy === 'apple' || v.badgePolicy === 'firefox' || v.badgePolicy === 'chrome' ? v.badgePolicy : 'chrome',
    checkPrivateRoots: bool('checkPrivateRoots'),
    extraLogList: typeof v.extraLogList === 'string' && v.extraLogList.trim() ? v.extraLogList : null,
    extraLogKeys: strings('extraLogKeys'),
    autoUpdateLogList: bool('autoUpdateLogList'),
    autoInclusion: bool('autoInclusion'),
    fetchIssuers: bool('fetchIssuers'),
    witnessPolicy: typeof v.witnessPolicy === 'string' && v.witnessPolicy.trim() ? v.witnessPolicy : null,
  };
}
