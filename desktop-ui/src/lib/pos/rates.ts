// Tax rates arrive as parts per million (90000 = 9%). They are shown as
// percent text with exact integer arithmetic, so 2.5% never prints as 2.4999….

const PPM_PER_PERCENT = 10_000;

/** 90000 → "9", 25000 → "2.5", 1250 → "0.125", 1 → "0.0001". */
export function ratePercentText(ratePpm: number): string {
  if (!Number.isSafeInteger(ratePpm)) {
    throw new RangeError(`A tax rate must be whole parts per million, got ${String(ratePpm)}.`);
  }
  const negative = ratePpm < 0;
  const abs = Math.abs(ratePpm);
  const whole = Math.trunc(abs / PPM_PER_PERCENT);
  const fraction = (abs % PPM_PER_PERCENT).toString().padStart(4, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

/** "CGST 9%": the component's name and its rate. */
export function taxLabel(tax: { name: string; rate_ppm: number }): string {
  return `${tax.name} ${ratePercentText(tax.rate_ppm)}%`;
}
