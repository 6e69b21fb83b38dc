package io.pgpartition.benchmarks;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thread writing single rows as fast as it can, timing each write, with marks that pick out the writes made
 * during one phase of what runs beside it (a copy, a swap).
 */
final class TimedWriter {

    /** The writes of one connection: prepared once, then one statement (with its parameters set) per write. */
    interface Writes extends AutoCloseable {
        PreparedStatement next(ThreadLocalRandom random) throws SQLException;

        @Override
        void close() throws SQLException;
    }

    /** Opens the writes on the writer's connection. */
    interface Opener {
        Writes open(Connection connection) throws SQLException;
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong markedFrom = new AtomicLong(-1);
    private final AtomicLong markedTo = new AtomicLong(-1);
    private final AtomicLong swapFrom = new AtomicLong(-1);
    private final Thread thread;
    private volatile Exception failure;

    /** @param isolated the writing thread and its backend alone on CPU 0 (see {@link CpuPinning#isolate}) */
    TimedWriter(String name, DataSource dataSource, boolean isolated, Opener opener) {
        thread = new Thread(() -> {
            try (Connection connection = dataSource.getConnection();
                 CpuPinning.Isolation isolation = isolated ? CpuPinning.isolate(connection, 0) : () -> { };
                 Writes writes = opener.open(connection)) {
                while (running.get()) {
                    PreparedStatement statement = writes.next(ThreadLocalRandom.current());
                    long started = System.nanoTime();
                    statement.executeUpdate();
                    latencies.add((System.nanoTime() - started) / 1_000_000.0);
                }
            } catch (Exception e) {
                failure = e;
            }
        }, name);
        thread.start();
    }

    void markSwap() {
        swapFrom.compareAndSet(-1, latencies.size());
    }

    double worstSinceSwap() {
        synchronized (latencies) {
            int from = (int) Math.max(swapFrom.get(), 0);
            return latencies.subList(Math.min(from, latencies.size()), latencies.size()).stream().mapToDouble(Double::doubleValue)
                    .max().orElse(0);
        }
    }

    void mark() {
        markedFrom.compareAndSet(-1, latencies.size());
    }

    void markEnd() {
        markedTo.compareAndSet(-1, latencies.size());
    }

    double[] stop() throws Exception {
        running.set(false);
        thread.join();
        if (failure != null) {
            throw failure;
        }
        return latencies.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Every latency recorded, after {@link #stop}. */
    double[] all() {
        return latencies.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Stops, and returns the latencies between {@link #mark} and {@link #markEnd}. */
    double[] stopAndKeepMarked() throws Exception {
        double[] all = stop();
        int from = (int) Math.max(markedFrom.get(), 0);
        int to = (int) (markedTo.get() < 0 ? all.length : markedTo.get());
        return Arrays.copyOfRange(all, from, Math.max(from + 1, to));
    }
}
