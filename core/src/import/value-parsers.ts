import { addDays, CalendarDate, dateOf, parseDate } from '../calendar';
import { isKnownCurrency } from '../money';
import { detach } from './detach';

/**
 * Text -> value conversions with small caches: a usage file repeats the same thirty dates and one
 * currency a million times, so each distinct text is parsed once.
 */
export class DateReader {
  private cache = new Map<string, CalendarDate | null>();

  constructor(
    private readonly order: 'mdy' | 'dmy' = 'mdy',
    /** xlsx cells hold dates as Excel serial numbers (days since 1899-12-30). */
    private readonly excelSerials = false,
  ) {}

  read(text: string): CalendarDate | null {
    let v = this.cache.get(text);
    if (v !== undefined) return v;
    v = this.parse(text);
    if (this.cache.size > 4096) this.cache.clear();
    this.cache.set(detach(text), v);
    return v;
  }

  private parse(text: string): CalendarDate | null {
    const t = text.trim();
    if (this.excelSerials && /^\d{1,6}(\.\d+)?$/.test(t)) {
      const serial = Math.floor(Number(t));
      // Excel's 1900 system counts a phantom 1900-02-29; serials from 61 on are offset by it.
      if (serial < 61) return null;
      const d = addDays(EXCEL_EPOCH, serial);
      return d;
    }
    let candidate = t;
    if (this.order === 'dmy') {
      const m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(.*)$/.exec(t);
      if (m) candidate = `${m[2]}/${m[1]}/${m[3]}${m[4] ?? ''}`;
    }
    try {
      return parseDate(candidate);
    } catch {
      return null;
    }
  }
}

const EXCEL_EPOCH = dateOf(1899, 12, 30);

export class CurrencyReader {
  private cache = new Map<string, string | null>();

  read(text: string): string | null {
    let v = this.cache.get(text);
    if (v !== undefined) return v;
    const code = text.trim().toUpperCase();
    v = isKnownCurrency(code) ? code : null;
    if (this.cache.size > 256) this.cache.clear();
    this.cache.set(detach(text), v);
    return v;
  }
}

/** Microsoft's new-commerce charge types, spelled as the core's ChargeType; matched case-insensitively. */
const KNOWN_CHARGE_TYPES = [
  'new',
  'renew',
  'cycleCharge',
  'addQuantity',
  'removeQuantity',
  'cancelImmediate',
  'convert',
  'changeBillingPlan',
  'refund',
  'purchase',
  'usage',
  'cycleFee',
  'extendTerm',
  'changeSubscriptionTerm',
];
const CHARGE_TYPE_BY_KEY = new Map(KNOWN_CHARGE_TYPES.map((c) => [c.toLowerCase(), c]));

/** Case-insensitive key for a charge type ("CycleCharge", "cyclecharge" and " cycleCharge " agree). */
export function chargeTypeKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The canonical spelling for a known charge type, else the trimmed text as the file wrote it. */
export function chargeTypeLabel(text: string): string {
  const key = chargeTypeKey(text);
  return CHARGE_TYPE_BY_KEY.get(key) ?? text.trim();
}
