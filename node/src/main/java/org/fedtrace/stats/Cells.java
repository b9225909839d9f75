package org.fedtrace.stats;

/**
 * The names of the exact counts (cells) a node tallies per day and a release noises: {@code
 * ha/<authority>/uploads}, {@code ha/<authority>/keys}, {@code ha/<authority>/delay/<bin>}, {@code
 * pair/<from>-<to>/batches} and {@code pair/<from>-<to>/keys}.
 */
public final class Cells {
  private Cells() {}

  /** Uploads a health authority authorized on the day. */
  public static String uploads(String authority) {
    return "ha/" + authority + "/uploads";
  }

  /** Keys of those uploads, at most the policy's cap per upload. */
  public static String keys(String authority) {
    return "ha/" + authority + "/keys";
  }

  /** Uploads of the day whose onset-to-upload delay falls in {@code bin}. */
  public static String delay(String authority, String bin) {
    return "ha/" + authority + "/delay/" + bin;
  }

  /** Batches of origin {@code from} delivered to {@code to}'s node, as this node saw them. */
  public static String pairBatches(String from, String to) {
    return "pair/" + from + "-" + to + "/batches";
  }

  /** Keys of those batches. */
  public static String pairKeys(String from, String to) {
    return "pair/" + from + "-" + to + "/keys";
  }
}
