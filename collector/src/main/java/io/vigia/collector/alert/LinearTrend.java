package io.vigia.collector.alert;

/**
 * A least-squares line through the values of one series over a sliding window, in constant memory:
 * the window is cut into {@link #BUCKETS} buckets that each keep the sums a regression needs, and a
 * bucket is reused once it falls out of the window. What {@code predict_linear(series[window], h)}
 * computes in PromQL, to within one bucket at the old end of the window.
 *
 * <p>Sums are kept relative to the start of their bucket and shifted to a common origin when the
 * line is fitted, so precision does not wear away as time grows.
 *
 * <p>Thread-safety: none; used by the alert thread only.
 */
final class LinearTrend {

  static final int BUCKETS = 12;

  private final long bucketMillis;
  private final long windowMillis;
  private final long[] start = new long[BUCKETS];
  private final long[] n = new long[BUCKETS];
  private final double[] sumT = new double[BUCKETS];
  private final double[] sumV = new double[BUCKETS];
  private final double[] sumTT = new double[BUCKETS];
  private final double[] sumTV = new double[BUCKETS];

  LinearTrend(long windowMillis) {
    this.windowMillis = windowMillis;
    this.bucketMillis = Math.max(1, windowMillis / BUCKETS);
    java.util.Arrays.fill(start, Long.MIN_VALUE);
  }

  void add(long timeMillis, double value) {
    long bucketStart = Math.floorDiv(timeMillis, bucketMillis) * bucketMillis;
    int i = (int) Math.floorMod(Math.floorDiv(timeMillis, bucketMillis), BUCKETS);
    if (start[i] != bucketStart) {
      start[i] = bucketStart;
      n[i] = 0;
      sumT[i] = sumV[i] = sumTT[i] = sumTV[i] = 0;
    }
    double t = (timeMillis - bucketStart) / 1000.0;
    n[i]++;
    sumT[i] += t;
    sumV[i] += value;
    sumTT[i] += t * t;
    sumTV[i] += t * value;
  }

  /**
   * The fitted line's value {@code aheadMillis} after {@code nowMillis}, or NaN when the samples in
   * the window span less than a quarter of it (too little to tell a trend from noise).
   */
  double predict(long nowMillis, long aheadMillis) {
    long count = 0;
    double st = 0;
    double sv = 0;
    double stt = 0;
    double stv = 0;
    long oldest = Long.MAX_VALUE;
    long newest = Long.MIN_VALUE;
    for (int i = 0; i < BUCKETS; i++) {
      if (n[i] == 0 || start[i] == Long.MIN_VALUE || start[i] <= nowMillis - windowMillis) {
        continue;
      }
      double d = (start[i] - nowMillis) / 1000.0; // shift to an origin at now
      count += n[i];
      st += sumT[i] + n[i] * d;
      sv += sumV[i];
      stt += sumTT[i] + 2 * d * sumT[i] + n[i] * d * d;
      stv += sumTV[i] + d * sumV[i];
      oldest = Math.min(oldest, start[i]);
      newest = Math.max(newest, start[i] + bucketMillis);
    }
    if (count < 3 || newest - oldest < windowMillis / 4) {
      return Double.NaN;
    }
    double denominator = count * stt - st * st;
    if (denominator <= 0) {
      return Double.NaN;
    }
    double slope = (count * stv - st * sv) / denominator;
    double intercept = (sv - slope * st) / count;
    return intercept + slope * (aheadMillis / 1000.0);
  }
}
