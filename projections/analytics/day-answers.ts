/**
 * The answers of the day questions (groupBy=day) the analytics projection keeps, one row per day:
 * each a table of JSON texts and the SQL function that writes a day's text from the stored rows
 * (migrations 1732273000000 and 1732273100000; docs/reports.md). The projection rewrites the days
 * a batch touched, the read model serves them, `ledger verify` compares them with the fold.
 */
export interface DayAnswers {
  table: string;
  /** `answerOf(day date) RETURNS text`: the day's answer; its zeros for a day with nothing stored. */
  answerOf: string;
}

export const USAGE_DAY_ANSWERS: DayAnswers = {
  table: 'analytics_usage_day_json',
  answerOf: 'analytics_usage_day_json_of',
};

export const PURCHASE_DAY_ANSWERS: DayAnswers = {
  table: 'analytics_purchases_day_json',
  answerOf: 'analytics_purchases_day_json_of',
};
