//! Expert review (评审) as pure values: panel draw, rubric scoring, aggregation, ranking, slate.
//!
//! Everything here is a function of its inputs, so a discipline inspector can recompute any
//! result from the recorded data:
//!
//! * [`panel`] draws an expert panel (评审专家小组) from the pool with avoidance rules. The draw is
//!   a function of `(seed, pool, request)` through the documented [`prng::SplitMix64`] generator;
//!   the seed is chosen and recorded by the caller.
//! * [`rubric`] holds the criteria and knock-out items (否决项) as data and validates scorecards.
//! * [`aggregate`](mod@aggregate) turns the signed scorecards of one application into one score: the mean, or the
//!   trimmed mean (去掉一个最高分和一个最低分) once there are enough scorecards.
//! * [`rank`](mod@rank) orders applications per call item or track with a stated tie-break chain.
//! * [`slate`](mod@slate) recommends awards in rank order within slots, budget and award quotas.
//!
//! Numbers are never floating point: a [`Score`] is an integer count of hundredths of a point
//! (0.01), weighted totals are exact in ten-thousandths, and each published value is rounded once,
//! half up, to hundredths. Money is [`crate::money::Fen`].

pub mod aggregate;
pub mod panel;
pub mod prng;
pub mod rank;
pub mod rubric;
pub mod score;
pub mod slate;

#[cfg(test)]
mod tests;

pub use aggregate::{Aggregate, AggregationMethod, CardTotal, Outcome, aggregate};
pub use panel::{DRAW_ALGORITHM, Draw, DrawError, DrawRequest, Excluded, Expert, draw_panel};
pub use prng::SplitMix64;
pub use rank::{RankEntry, RankedRow, Ranking, Unranked, rank, tie_break_statement};
pub use rubric::{Criterion, Knockout, Rubric, Scorecard, chongchuan_rubric};
pub use score::{Score, ScoreParseError};
pub use slate::{Candidate, PriorAward, Slate, SlateInput, SlateLine, slate, slots_from_items};
