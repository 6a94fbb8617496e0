package dev.rabbitworks.bench;

/**
 * One line of the results table. {@code ratio} is ours / baseline; {@code target} is the bound the ratio (or, for
 * footprint rows, our figure) must meet: at least it when {@code atLeast}, at most it otherwise; NaN for figures
 * that are only reported.
 */
record Row(String scenario, String metric, String unit, String baselineName, double baseline, double ours,
        double ratio, double target, boolean atLeast, String note) {

    static Row ratio(String scenario, String metric, String unit, String baselineName, double baseline, double ours,
            double target, boolean atLeast, String note) {
        return new Row(scenario, metric, unit, baselineName, baseline, ours, ours / baseline, target, atLeast, note);
    }

    /** A figure of ours against an absolute bound (footprint): no baseline, the ratio is ours / bound. */
    static Row absolute(String scenario, String metric, String unit, double ours, double bound, String note) {
        return new Row(scenario, metric, unit, "target", bound, ours, ours / bound, Double.isNaN(bound) ? Double.NaN : 1.0,
                false, note);
    }

    static Row info(String scenario, String metric, String unit, String baselineName, double baseline, double ours,
            String note) {
        return new Row(scenario, metric, unit, baselineName, baseline, ours, ours / baseline, Double.NaN, true, note);
    }

    boolean hasTarget() {
        return !Double.isNaN(target);
    }

    /** Met, missed, or null when there is no target. */
    Boolean met() {
        if (!hasTarget() || Double.isNaN(ratio)) {
            return hasTarget() ? Boolean.FALSE : null;
        }
        return atLeast ? ratio >= target : ratio <= target;
    }

    String targetText() {
        if (!hasTarget()) {
            return "—";
        }
        if (baselineName.equals("target")) {
            return "≤ " + Report.number(baseline) + " " + unit;
        }
        return (atLeast ? "≥ " : "≤ ") + Report.number(target) + "×";
    }
}
