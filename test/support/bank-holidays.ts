import Holidays from "date-holidays";

/**
 * The bank holidays of England and Wales by the date-holidays package: its public holidays
 * for GB-ENG that fall on a weekday (a holiday on a weekend is replaced by its substitute
 * day, which the package lists too). Wales has the same ones.
 */
export function englandAndWalesBankHolidays(first: number, last: number): { date: string; name: string }[] {
  const out: { date: string; name: string }[] = [];
  for (const region of ["ENG", "WLS"]) {
    const calendar = new Holidays("GB", region);
    for (let year = first; year <= last; year++) {
      for (const h of calendar.getHolidays(year)) {
        const date = h.date.slice(0, 10);
        const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
        if (h.type !== "public" || weekday === 0 || weekday === 6) continue;
        if (!out.some((o) => o.date === date)) out.push({ date, name: h.name });
      }
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}
