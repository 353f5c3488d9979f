"""Precomputed goal indicators (SPEC §3.11), after Zulip's analytics ``*Count`` tables.

Every goal of a plan version is computed from the records into one row per period (a month's
year-to-date figure, or a full year) and scope (the city, a plan area, a chain segment or a chain
node), and the cockpit, the CLI and the API only read these rows. A refresh replaces a version's rows
whole, inside one transaction (see ``services.indicators_refresh``); ``FillState`` records when
that last succeeded and which data month it covered.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeKind(models.TextChoices):
    CITY = "city", _("city")
    AREA = "area", _("plan area")
    SEGMENT = "segment", _("chain segment")
    NODE = "node", _("chain node")


class Status(models.TextChoices):
    ACHIEVED = "achieved", _("achieved")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OFF_TRACK = "off_track", _("off track")
    NO_DATA = "no_data", _("no data")
    NONE = "", _("not assessed")


class ForecastMethod(models.TextChoices):
    SEASONAL_SHARE = "seasonal_share", _("seasonal share of prior years")
    STRAIGHT_LINE = "straight_line", _("straight-line from year to date")
    ACTUAL = "actual", _("actual full-year figure")
    STOCK = "stock", _("current count (a stock, not a flow)")
    NONE = "", _("no forecast")


class IndicatorValue(models.Model):
    """One goal's figure for one period and scope, with its forecast and status.

    ``month`` 0 is the full year (annual reports); 1–12 is the year-to-date figure through that
    month. ``scope_key`` is "" for the city and otherwise the area, segment or node code (chain
    breakdowns follow each enterprise's primary node, so the parts add up to the whole).
    """

    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("plan version"),
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    goal = models.ForeignKey(
        "plans.Goal", verbose_name=_("goal"), on_delete=models.CASCADE, related_name="indicator_values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), help_text=_("1–12 year to date; 0 the full year"))
    scope_kind = models.CharField(_("scope"), max_length=8, choices=ScopeKind.choices)
    scope_key = models.CharField(_("scope code"), max_length=60, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    reporting = models.PositiveIntegerField(_("enterprises reporting"), null=True, blank=True)
    missing = models.PositiveIntegerField(_("enterprises missing"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=2, null=True, blank=True)
    progress = models.DecimalField(_("progress %"), max_digits=12, decimal_places=2, null=True, blank=True)
    previous = models.DecimalField(
        _("same period last year"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    yoy = models.DecimalField(_("year-on-year %"), max_digits=12, decimal_places=2, null=True, blank=True)
    forecast = models.DecimalField(
        _("year-end forecast"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    forecast_low = models.DecimalField(
        _("forecast low"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    forecast_high = models.DecimalField(
        _("forecast high"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    forecast_method = models.CharField(
        _("forecast method"), max_length=20, choices=ForecastMethod.choices, blank=True
    )
    method_note = models.TextField(_("how the figure and forecast were computed"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["goal__sort", "year", "month", "scope_kind", "scope_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "year", "month", "scope_kind", "scope_key"], name="indicator_value_unique"
            )
        ]
        indexes = [models.Index(fields=["plan_version", "scope_kind", "year", "month"])]

    def __str__(self) -> str:
        scope = self.scope_key or "city"
        return f"{self.goal_id} {self.year}-{self.month:02d} {self.scope_kind}:{scope} = {self.value}"


class FillState(models.Model):
    """The last refresh of one plan version's indicators (Zulip's FillState)."""

    class State(models.TextChoices):
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    plan_version = models.OneToOneField(
        "plans.PlanVersion",
        verbose_name=_("plan version"),
        on_delete=models.CASCADE,
        related_name="indicator_fill_state",
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices)
    refreshed_at = models.DateTimeField(_("refreshed at"))
    data_year = models.PositiveSmallIntegerField(_("data through year"), null=True, blank=True)
    data_month = models.PositiveSmallIntegerField(_("data through month"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("indicator fill state")
        verbose_name_plural = _("indicator fill states")

    def __str__(self) -> str:
        return f"{self.plan_version} {self.state} {self.refreshed_at:%Y-%m-%d %H:%M}"
