/** What Firefox's webRequest.getSecurityInfo gives, mapped to the core's input. No browser API here. */
import type { BrowserCtVerdict } from '../src/summary.js';
import type { ChainInput } from './checker.js';

/** The parts of Firefox's SecurityInfo (webRequest.getSecurityInfo) that ctlens reads. */
export interface FirefoxSecurityInfo {
  readonly state: string;
  readonly errorMessage?: string;
  readonly certificateTransparencyStatus?: string;
  readonly certificates?: readonly {
    readonly rawDER?: readonly number[];
    readonly isBuiltInRoot?: boolean;
    readonly subject?: string;
  }[];
}

export interface FirefoxResponse {
  readonly tabId: number;
  readonly url: string;
  readonly frame: 'main_frame' | 'sub_frame';
  readonly info: FirefoxSecurityInfo;
}

/**
 * Firefox's own verdict (MDN, webRequest.SecurityInfo): certificateTransparencyStatus, one of
 * not_applicable, policy_compliant, policy_not_enough_scts, policy_not_diverse_scts, kept as the
 * browser gives it (popup/browser-verdict.ts words it), and whether the chain's root is built in.
 */
export function firefoxVerdict(info: FirefoxSecurityInfo): BrowserCtVerdict | undefined {
  const status = info.certificateTransparencyStatus;
  if (!status) return undefined;
  const root = info.certificates?.at(-1);
  const publicRoot = typeof root?.isBuiltInRoot === 'boolean' ? { publicRoot: root.isBuiltInRoot } : {};
  return { browser: 'firefox', status, compliant: status === 'policy_compliant', ...publicRoot };
}

/**
 * The chain as the core takes it. Firefox gives the verified chain, root included, each
 * certificate's rawDER as an array of byte values. Undefined when there is no chain.
 */
export function chainInput(info: FirefoxSecurityInfo): ChainInput | undefined {
  const certs = info.certificates ?? [];
  if (!certs.length || certs.some((c) => !Array.isArray(c.rawDER))) return undefined;
  return {
    chain: certs.map((c) => Uint8Array.from(c.rawDER!)),
    publiclyTrusted: certs.at(-1)!.isBuiltInRoot === true,
    browserVerdict: firefoxVerdict(info),
  };
}
