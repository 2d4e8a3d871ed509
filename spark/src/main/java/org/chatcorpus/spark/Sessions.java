package org.chatcorpus.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark context of a run. Under spark-submit the master and every setting come from
 * spark-submit; {@code --master} sets the master when given; with neither, the run uses
 * {@code local[*]}. A context shared by its owner (an embedding program, the module's tests) is
 * used and left running; one this class made is stopped when the run ends.
 */
final class Sessions {
    private static volatile JavaSparkContext shared;

    private Sessions() {
    }

    /** Makes every later run use {@code sc} (and never stop it). */
    static void share(JavaSparkContext sc) {
        shared = sc;
    }

    record Handle(JavaSparkContext sc, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                sc.stop();
            }
        }
    }

    static Handle open(String master, String app) {
        JavaSparkContext s = shared;
        if (s != null && !s.sc().isStopped()) {
            return new Handle(s, false);
        }
        SparkConf conf = new SparkConf().setAppName(app);
        if (master != null && !master.isBlank()) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        // Spark's INFO lines would bury the stage table a curate prints; its warnings still show.
        sc.setLogLevel(conf.get("spark.chatcorpus.logLevel", "WARN"));
        return new Handle(sc, true);
    }
}
