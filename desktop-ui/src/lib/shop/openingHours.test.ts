import { describe, expect, it } from "vitest";
import type { OpeningPeriodView } from "../bindings";
import { openRow, periodsFromRows, rowName, rowsFromPeriods, type HoursRow } from "./openingHours";

const period = (day: OpeningPeriodView["day"], opens: string, closes: string): OpeningPeriodView => ({
  day,
  opens,
  closes,
});

describe("rowsFromPeriods", () => {
  it("gives seven closed days when no hours are given", () => {
    const rows = rowsFromPeriods([]);
    expect(rows.map((r) => r.day)).toEqual(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
    expect(rows.every((r) => r.closed && r.opens === "" && r.closes === "")).toBe(true);
  });

  it("opens the days that have a period and puts them in week order", () => {
    const rows = rowsFromPeriods([period("sun", "10:00", "14:00"), period("mon", "09:30", "19:00")]);
    expect(rows[0]).toEqual({ day: "mon", closed: false, opens: "09:30", closes: "19:00" });
    expect(rows[6]).toEqual({ day: "sun", closed: false, opens: "10:00", closes: "14:00" });
    expect(rows.slice(1, 6).every((r) => r.closed)).toBe(true);
  });

  it("keeps a second period of a day as a row of its own", () => {
    const rows = rowsFromPeriods([period("tue", "09:00", "13:00"), period("tue", "14:00", "24:00")]);
    expect(rows).toHaveLength(8);
    expect(rows.slice(1, 3)).toEqual([
      { day: "tue", closed: false, opens: "09:00", closes: "13:00" },
      { day: "tue", closed: false, opens: "14:00", closes: "24:00" },
    ]);
    expect(rowName(rows, 1)).toBe("Tuesday");
    expect(rowName(rows, 2)).toBe("Tuesday, period 2");
    expect(rowName(rows, 3)).toBe("Wednesday");
    expect(rowName(rows, 99)).toBe("");
  });
});

describe("periodsFromRows", () => {
  it("gives back exactly the periods the rows were made from", () => {
    const hours = [
      period("mon", "09:00", "13:00"),
      period("mon", "14:00", "18:00"),
      period("fri", "10:00", "24:00"),
      period("sun", "00:00", "06:00"),
    ];
    expect(periodsFromRows(rowsFromPeriods(hours))).toEqual(hours);
    expect(periodsFromRows(rowsFromPeriods([]))).toEqual([]);
  });

  it("leaves closed days out, keeping the times typed for them in the row", () => {
    const rows: HoursRow[] = rowsFromPeriods([period("mon", "09:00", "18:00"), period("tue", "09:00", "18:00")]);
    rows[1]!.closed = true;
    expect(periodsFromRows(rows)).toEqual([period("mon", "09:00", "18:00")]);
    expect(rows[1]!.opens).toBe("09:00");
  });

  it("trims what was typed and sends the rest as it is, for core to check", () => {
    const rows = rowsFromPeriods([]);
    rows[2] = { day: "wed", closed: false, opens: " 9.30 ", closes: "18:00 " };
    expect(periodsFromRows(rows)).toEqual([period("wed", "9.30", "18:00")]);
  });
});

describe("openRow", () => {
  it("gives a day opened with no times the hours of the open day above it", () => {
    const rows = rowsFromPeriods([period("mon", "09:30", "19:00")]);
    const opened = openRow(rows, 2);
    expect(opened[2]).toEqual({ day: "wed", closed: false, opens: "09:30", closes: "19:00" });
    expect(opened[1]!.closed).toBe(true);
    expect(rows[2]!.closed).toBe(true);
  });

  it("keeps times already typed, and leaves them empty with no open day above", () => {
    const rows = rowsFromPeriods([period("tue", "10:00", "18:00")]);
    rows[1]!.closed = true;
    expect(openRow(rows, 1)[1]).toEqual({ day: "tue", closed: false, opens: "10:00", closes: "18:00" });
    expect(openRow(rows, 0)[0]).toEqual({ day: "mon", closed: false, opens: "", closes: "" });
    expect(openRow(rows, 42)).toEqual(rows);
  });
});
