/**
 * What a domain owner watches, and whether a certificate's names hit it. A pattern is a DNS name
 * (`example.com`: that name only), a domain with a leading dot (`.example.com`: the domain and
 * every name under it), or an IP address (IPv4 dotted, IPv6 as RFC 4291 §2.2 text). Names are
 * compared case-insensitively (RFC 4343) as A-labels (RFC 5890 §2.3.2.1): a U-label pattern or
 * commonName is converted with the WHATWG URL host parser (UTS #46 processing, in browsers and
 * Node alike). A wildcard certificate name covers exactly one label in the leftmost position
 * (RFC 6125 §6.4.3): `*.example.com` covers `www.example.com`, not `example.com` nor
 * `a.b.example.com`; a partial wildcard (`w*.example.com`) covers the labels it matches.
 */
import type { Bytes } from '../bytes.js';
import { formatIp } from '../x509/names.js';
import type { EntryNames } from './entry-names.js';

export class PatternError extends Error {
  override name = 'PatternError';
}

export interface Pattern {
  /** As given. */
  readonly text: string;
  readonly kind: 'exact' | 'domain' | 'ip';
  /** exact, domain: the name as lowercase A-labels, without a trailing dot. */
  readonly name?: string;
  /** ip: 4 or 16 octets. */
  readonly ip?: Bytes;
}

/** What one certificate's names hit: the patterns (as given) and the certificate's names. */
export interface Hit {
  readonly watched: string[];
  readonly names: string[];
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/**
 * `name` as lowercase A-labels without a trailing dot, or undefined when it is no DNS name
 * (RFC 1035 §2.3.4 limits, letters, digits, hyphen and underscore, which real names use).
 */
function toALabels(name: string): string | undefined {
  let ascii = name.endsWith('.') ? name.slice(0, -1) : name;
  // Only names with non-ASCII characters go through the URL parser (it also rewrites numeric hosts).
  if (/[^\x00-\x7f]/.test(ascii)) {
    try {
      ascii = new URL(`http://${ascii}/`).hostname;
    } catch {
      return undefined;
    }
  }
  ascii = ascii.toLowerCase();
  if (ascii.length === 0 || ascii.length > 253) return undefined;
  return ascii.split('.').every((l) => LABEL.test(l)) ? ascii : undefined;
}

/** IPv4 dotted quad (no leading zeros) or IPv6 text (RFC 4291 §2.2) as octets; else undefined. */
export function parseIp(text: string): Bytes | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const parts = v4.slice(1).map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : 256));
    return parts.every((p) => p <= 255) ? Uint8Array.from(parts) : undefined;
  }
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  try {
    // The URL parser reads RFC 4291 text (and an IPv4 tail) strictly, and writes the canonical form.
    const host = new URL(`http://[${text}]/`).hostname.slice(1, -1);
    const [head = '', tail] = host.split('::');
    const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
    const left = groups(head);
    const right = tail === undefined ? [] : groups(tail);
    const all = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
    return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 0xff]));
  } catch {
    return undefined;
  }
}

/** One pattern. Throws PatternError saying what is wrong with it. */
export function parsePattern(text: string): Pattern {
  const trimmed = text.trim();
  if (trimmed === '') throw new PatternError('an empty pattern');
  const ip = parseIp(trimmed);
  if (ip) return { text: trimmed, kind: 'ip', ip };
  if (trimmed.includes('*')) {
    const instead = '".example.com" watches a domain and every name under it';
    throw new PatternError(`"${trimmed}": a pattern has no wildcards; ${instead}`);
  }
  const domain = trimmed.startsWith('.');
  const name = toALabels(domain ? trimmed.slice(1) : trimmed);
  if (name === undefined) throw new PatternError(`"${trimmed}" is neither a DNS name, a .domain nor an IP address`);
  return { text: trimmed, kind: domain ? 'domain' : 'exact', name };
}

/** A watch file: one pattern a line, `#` to the end of a line is a comment. Throws PatternError with the line. */
export function parseWatchFile(text: string, file: string): Pattern[] {
  const out: Pattern[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const content = line.replace(/#.*$/, '').trim();
    if (content === '') return;
    try {
      out.push(parsePattern(content));
    } catch (e) {
      if (e instanceof PatternError) throw new PatternError(`${file}, line ${i + 1}: ${e.message}`);
      throw e;
    }
  });
  return out;
}

const ipKey = (ip: Bytes): string => Array.from(ip).join('.');

/** The patterns, indexed for the hot path: a name costs a few map lookups per label. */
export class Watchlist {
  private readonly exact = new Map<string, string[]>();
  private readonly domains = new Map<string, string[]>();
  private readonly ips = new Map<string, string[]>();
  /** Exact and domain patterns by the name's parent (all but its first label), for wildcards. */
  private readonly byParent = new Map<string, { firstLabel: string; texts: string[] }[]>();

  constructor(readonly patterns: readonly Pattern[]) {
    for (const p of patterns) {
      const ip = p.kind === 'ip';
      add(ip ? this.ips : p.kind === 'exact' ? this.exact : this.domains, ip ? ipKey(p.ip!) : p.name!, p.text);
      const cut = ip ? -1 : p.name!.indexOf('.');
      if (cut > 0) {
        const siblings = this.byParent.get(p.name!.slice(cut + 1)) ?? [];
        siblings.push({ firstLabel: p.name!.slice(0, cut), texts: [p.text] });
        this.byParent.set(p.name!.slice(cut + 1), siblings);
      }
    }
  }

  /** The patterns these names hit, or undefined. */
  match(names: EntryNames): Hit | undefined {
    const watched = new Set<string>();
    const hitNames: string[] = [];
    const note = (name: string, patterns: Iterable<string>) => {
      let any = false;
      for (const p of patterns) {
        watched.add(p);
        any = true;
      }
      if (any && !hitNames.includes(name)) hitNames.push(name);
    };
    for (const dns of names.dnsNames) note(dns, this.nameHits(dns));
    for (const cn of names.commonNames) {
      const ip = parseIp(cn);
      note(cn, ip ? (this.ips.get(ipKey(ip)) ?? []) : this.nameHits(cn));
    }
    for (const ip of names.ipAddresses) note(formatIp(ip), this.ips.get(ipKey(ip)) ?? []);
    return watched.size ? { watched: [...watched], names: hitNames } : undefined;
  }

  /** The patterns a certificate's DNS name (maybe a wildcard) hits. */
  private nameHits(raw: string): string[] {
    if (this.exact.size === 0 && this.domains.size === 0) return [];
    const star = raw.indexOf('*');
    if (star < 0) {
      // The hot path: an ASCII name needs no checking, only lowercase (the maps hold valid names only).
      const name = /[^\x00-\x7f]/.test(raw) ? toALabels(raw) : raw.toLowerCase().replace(/\.$/, '');
      return name === undefined ? [] : [...(this.exact.get(name) ?? []), ...this.domainsOver(name)];
    }
    // RFC 6125 §6.4.3: one wildcard, in the leftmost label only, not in an A-label.
    const dot = raw.indexOf('.');
    const left = raw.slice(0, dot < 0 ? raw.length : dot).toLowerCase();
    if (dot < 0 || star > dot || raw.indexOf('*', star + 1) >= 0 || left.startsWith('xn--')) return [];
    const parent = toALabels(raw.slice(dot + 1));
    if (parent === undefined) return [];
    const out: string[] = [];
    const siblings = this.byParent.get(parent);
    if (siblings) {
      const glob = new RegExp(`^${left.split('*').map(escapeRegExp).join('[a-z0-9_-]*')}$`);
      for (const { firstLabel, texts } of siblings) if (glob.test(firstLabel)) out.push(...texts);
    }
    // Every name the wildcard covers lies under `parent`: a watched domain at or above it is hit.
    out.push(...this.domainsOver(parent));
    return out;
  }

  /** The domain patterns `name` is at or under. */
  private domainsOver(name: string): string[] {
    const out: string[] = [];
    for (let at = 0; ; ) {
      const texts = this.domains.get(name.slice(at));
      if (texts) out.push(...texts);
      const dot = name.indexOf('.', at);
      if (dot < 0) return out;
      at = dot + 1;
    }
  }
}

function add(map: Map<string, string[]>, key: string, text: string): void {
  const texts = map.get(key) ?? [];
  if (!texts.includes(text)) texts.push(text);
  map.set(key, texts);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
