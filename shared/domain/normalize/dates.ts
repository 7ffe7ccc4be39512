/** Dates as outlets write them (ISO 8601, RFC 2822, "12. März 2024", "15 августа 2016", "12/03/2024", …) to ISO 8601 UTC. */

const MONTHS: Readonly<Record<string, number>> = (() => {
  const table: Record<string, number> = {};
  const names: readonly (readonly string[])[] = [
    [
      'january',
      'jan',
      'januar',
      'jänner',
      'janvier',
      'janv',
      'enero',
      'ene',
      'gennaio',
      'gen',
      'janeiro',
      'januari',
      'styczeń',
      'stycznia',
      'января',
      'январь',
      'січня',
    ],
    [
      'february',
      'feb',
      'februar',
      'feber',
      'février',
      'fevrier',
      'févr',
      'fev',
      'febrero',
      'febbraio',
      'fevereiro',
      'februari',
      'luty',
      'lutego',
      'февраля',
      'февраль',
      'лютого',
    ],
    [
      'march',
      'mar',
      'märz',
      'maerz',
      'mars',
      'marzo',
      'março',
      'maart',
      'marzec',
      'marca',
      'mär',
      'марта',
      'март',
      'березня',
    ],
    [
      'april',
      'apr',
      'avril',
      'avr',
      'abril',
      'abr',
      'aprile',
      'kwiecień',
      'kwietnia',
      'апреля',
      'апрель',
      'квітня',
    ],
    ['may', 'mai', 'mayo', 'maggio', 'mag', 'maio', 'mei', 'maj', 'maja', 'мая', 'май', 'травня'],
    [
      'june',
      'jun',
      'juni',
      'juin',
      'junio',
      'giugno',
      'giu',
      'junho',
      'czerwiec',
      'czerwca',
      'июня',
      'июнь',
      'червня',
    ],
    [
      'july',
      'jul',
      'juli',
      'juillet',
      'juil',
      'julio',
      'luglio',
      'lug',
      'julho',
      'lipiec',
      'lipca',
      'июля',
      'июль',
      'липня',
    ],
    [
      'august',
      'aug',
      'août',
      'aout',
      'agosto',
      'ago',
      'augustus',
      'sierpień',
      'sierpnia',
      'августа',
      'август',
      'серпня',
    ],
    [
      'september',
      'sep',
      'sept',
      'septembre',
      'septiembre',
      'setiembre',
      'settembre',
      'set',
      'setembro',
      'wrzesień',
      'września',
      'сентября',
      'сентябрь',
      'вересня',
    ],
    [
      'october',
      'oct',
      'oktober',
      'okt',
      'octobre',
      'octubre',
      'ottobre',
      'ott',
      'outubro',
      'out',
      'październik',
      'października',
      'октября',
      'октябрь',
      'жовтня',
    ],
    [
      'november',
      'nov',
      'novembre',
      'noviembre',
      'novembro',
      'listopad',
      'listopada',
      'ноября',
      'ноябрь',
      'листопада',
    ],
    [
      'december',
      'dec',
      'dezember',
      'dez',
      'décembre',
      'decembre',
      'déc',
      'diciembre',
      'dic',
      'dicembre',
      'dezembro',
      'grudzień',
      'grudnia',
      'декабря',
      'декабрь',
      'грудня',
    ],
  ];
  names.forEach((list, i) => {
    for (const name of list) table[name] = i + 1;
  });
  return table;
})();

const pad = (n: number): string => String(n).padStart(2, '0');

const plausible = (y: number, m: number, d: number): boolean =>
  y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;

const dayIso = (y: number, m: number, d: number): string | null =>
  plausible(y, m, d) ? `${y}-${pad(m)}-${pad(d)}T00:00:00.000Z` : null;

const fullYear = (y: number): number => (y < 100 ? 2000 + y : y);

/**
 * Parse a date as written in metadata or page text; returns ISO 8601 UTC or null. A date
 * without a time becomes midnight UTC; a time without a zone is taken as UTC.
 */
export function toIsoDate(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  // "4. 2. 2022" (thin spaces between the parts) reads as 4.2.2022.
  const text = raw
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/(\d)\. (?=\d)/g, '$1.');
  if (text === '' || text.length > 200) return null;

  // ISO 8601 and close relatives (space instead of T, missing zone, compact zone).
  const iso =
    /(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}| ?UTC| ?GMT)?)?/i.exec(
      text,
    );
  if (iso !== null) {
    const [, y, mo, d, h, mi, s, zone] = iso;
    if (h === undefined) return dayIso(Number(y), Number(mo), Number(d));
    let offset = 'Z';
    if (zone !== undefined && !/utc|gmt|z/i.test(zone)) {
      const digits = zone.replace(':', '');
      offset = digits.length === 3 ? `${digits}:00` : `${digits.slice(0, 3)}:${digits.slice(3)}`;
    }
    const ms = Date.parse(
      `${y}-${pad(Number(mo))}-${pad(Number(d))}T${pad(Number(h))}:${mi}:${s ?? '00'}${offset}`,
    );
    if (!Number.isNaN(ms) && plausible(Number(y), Number(mo), Number(d))) return new Date(ms).toISOString();
    return dayIso(Number(y), Number(mo), Number(d));
  }

  // Epoch seconds or milliseconds.
  if (/^\d{10}(\d{3})?$/.test(text)) {
    const n = Number(text);
    const date = new Date(text.length === 10 ? n * 1000 : n);
    return date.getUTCFullYear() >= 1990 ? date.toISOString() : null;
  }

  // RFC 2822 and other forms the JS engine reads reliably when they name the month in English
  // and carry a zone ("Tue, 10 Jun 2003 04:00:00 GMT").
  if (/\b\d{4}\b/.test(text) && /[a-z]{3}/i.test(text) && /(GMT|UTC|[+-]\d{4})\b/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) {
      const date = new Date(ms);
      if (date.getUTCFullYear() >= 1990 && date.getUTCFullYear() <= 2100) return date.toISOString();
    }
  }

  // 12.03.2024, 12/03/2024 (day first, as in most of the world), 2024/03/12.
  const ymd = /\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b/.exec(text);
  if (ymd !== null) return dayIso(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const dmy = /\b(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\b/.exec(text);
  if (dmy !== null) {
    const a = Number(dmy[1]);
    const b = Number(dmy[2]);
    const y = fullYear(Number(dmy[3]));
    // Day first unless that is impossible (US "03/25/2024").
    return b > 12 && a <= 12 ? dayIso(y, a, b) : dayIso(y, b, a);
  }

  // "12 March 2024", "12. März 2024", "March 12, 2024", "12 de marzo de 2024".
  const words = text.toLowerCase();
  const dayMonthYear =
    /(\d{1,2})(?:st|nd|rd|th|er|\.|º)?\s+(?:de\s+)?([\p{L}]{3,12})\.?,?\s+(?:de\s+)?(\d{4})/u.exec(words);
  if (dayMonthYear !== null) {
    const month = MONTHS[dayMonthYear[2] ?? ''];
    if (month !== undefined) return dayIso(Number(dayMonthYear[3]), month, Number(dayMonthYear[1]));
  }
  const monthDayYear = /([\p{L}]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})/u.exec(words);
  if (monthDayYear !== null) {
    const month = MONTHS[monthDayYear[1] ?? ''];
    if (month !== undefined) return dayIso(Number(monthDayYear[3]), month, Number(monthDayYear[2]));
  }
  return null;
}
