package org.chatcorpus.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One Spark context for every test of the module ({@code local[2]}, as CI runs it): starting Spark
 * costs seconds, so the tests share it, and the engine uses it through {@link Sessions#share}.
 */
final class SharedSpark {
    private static JavaSparkContext sc;

    private SharedSpark() {
    }

    static synchronized JavaSparkContext get() {
        if (sc == null) {
            sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("chatcorpus-spark-tests")
                    .set("spark.ui.enabled", "false").set("spark.sql.shuffle.partitions", "4"));
            Sessions.share(sc);
            Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
        }
        return sc;
    }
}
