package io.pgpartition.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Gives one client thread and the server process behind its connection a CPU of their own (Linux, {@code taskset}):
 * every other thread of this JVM and every other process of that server, including those started meanwhile, run on
 * the remaining CPUs. Measures one workload without others taking CPU time from it, on a machine with few cores. Works
 * only when the server runs on this machine; {@link #available()} says whether it can work at all.
 */
final class CpuPinning {

    /** Pinning was not possible here: the server runs elsewhere, or taskset failed. */
    static final class PinningFailed extends IllegalStateException {
        PinningFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** An isolation in force; closing it gives every thread and process it moved its CPUs back. */
    interface Isolation extends AutoCloseable {
        @Override
        void close();
    }

    private CpuPinning() {
    }

    /** Linux with {@code taskset} and at least two CPUs. */
    static boolean available() {
        return Runtime.getRuntime().availableProcessors() >= 2 && Files.isDirectory(Path.of("/proc/self/task"))
                && Stream.of("/usr/bin/taskset", "/bin/taskset").anyMatch(path -> Files.isExecutable(Path.of(path)));
    }

    /**
     * Keeps the calling thread and the backend serving {@code connection} alone on {@code cpu} until the isolation is
     * closed. The server's postmaster is moved too, so that backends and workers it starts meanwhile inherit the
     * other CPUs.
     *
     * @throws PinningFailed if a process cannot be found or moved, e.g. because the server runs elsewhere
     */
    static Isolation isolate(Connection connection, int cpu) throws SQLException {
        long jvm = ProcessHandle.current().pid();
        long backend = backendPid(connection);
        long postmaster = parentOf(backend);
        if (!"postgres".equals(read(Path.of("/proc", Long.toString(postmaster), "comm")))) {
            throw new PinningFailed("The parent of backend " + backend + " is no postgres process", null);
        }
        String jvmCpus = affinity(jvm);
        String serverCpus = affinity(postmaster);
        String others = without(jvmCpus, cpu);
        Isolation restore = () -> {
            taskset(serverCpus, postmaster);
            childrenOf(postmaster).forEach(child -> tasksetIfAlive(serverCpus, child));
            tasksetOutput("-a", "-p", "-c", jvmCpus, Long.toString(jvm));
        };
        try {
            taskset(without(serverCpus, cpu), postmaster);
            for (long child : childrenOf(postmaster)) {
                if (child != backend) {
                    tasksetIfAlive(without(serverCpus, cpu), child);
                }
            }
            tasksetOutput("-a", "-p", "-c", others, Long.toString(jvm));
            taskset(Integer.toString(cpu), backend);
            taskset(Integer.toString(cpu), currentThreadId());
            return restore;
        } catch (RuntimeException e) {
            restore.close();
            throw e;
        }
    }

    /** The CPU list (taskset's form) minus one CPU. */
    private static String without(String cpuList, int cpu) {
        TreeSet<Integer> cpus = new TreeSet<>();
        for (String part : cpuList.split(",")) {
            String[] range = part.trim().split("-");
            int first = Integer.parseInt(range[0]);
            int last = range.length > 1 ? Integer.parseInt(range[1]) : first;
            for (int c = first; c <= last; c++) {
                cpus.add(c);
            }
        }
        if (!cpus.remove(cpu) || cpus.isEmpty()) {
            throw new PinningFailed("CPU " + cpu + " is not one of " + cpuList + " or is the only one", null);
        }
        return String.join(",", cpus.stream().map(String::valueOf).toList());
    }

    /** The CPU list a process or thread may run on. */
    private static String affinity(long pid) {
        String output = tasksetOutput("-p", "-c", Long.toString(pid));
        return output.substring(output.lastIndexOf(':') + 1).trim();
    }

    /**
     * The operating-system id of the calling thread: the task of this process whose name is the thread's. The thread
     * is renamed to a unique name for the look-up (Linux keeps 15 characters of it) and gets its name back after.
     */
    private static long currentThreadId() {
        Thread thread = Thread.currentThread();
        String original = thread.getName();
        String unique = "pin-" + thread.getId();
        thread.setName(unique);
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(task -> unique.equals(read(task.resolve("comm"))))
                    .mapToLong(task -> Long.parseLong(task.getFileName().toString()))
                    .findFirst()
                    .orElseThrow(() -> new PinningFailed("No task of this process is named " + unique, null));
        } catch (IOException e) {
            throw new PinningFailed("Cannot list this process's tasks: " + e.getMessage(), e);
        } finally {
            thread.setName(original);
        }
    }

    /**
     * The pid of the server process behind the connection, checked to be a PostgreSQL process on this machine that
     * serves this connection's client port (its process title names it), so that no other process is ever moved.
     */
    private static long backendPid(Connection connection) throws SQLException {
        long pid;
        String port;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_backend_pid(), inet_client_port()")) {
            rs.next();
            pid = rs.getLong(1);
            port = rs.getString(2);
        }
        Path process = Path.of("/proc", Long.toString(pid));
        String title = read(process.resolve("cmdline")).replace('\0', ' ');
        boolean postgres = "postgres".equals(read(process.resolve("comm")));
        if (!postgres || (port != null && !title.contains("(" + port + ")"))) {
            throw new PinningFailed("Backend " + pid + " is not a PostgreSQL process of this machine serving client port "
                    + port + " (found '" + title.trim() + "'): pinning needs the server on this machine", null);
        }
        return pid;
    }

    /** The parent pid, from {@code /proc/<pid>/stat} (the field after the parenthesised command name and the state). */
    private static long parentOf(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[1]);
    }

    private static List<Long> childrenOf(long parent) {
        List<Long> children = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.map(p -> p.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit))
                    .forEach(name -> {
                        String stat = read(Path.of("/proc", name, "stat"));
                        if (!stat.isEmpty() && parentOf(Long.parseLong(name)) == parent) {
                            children.add(Long.parseLong(name));
                        }
                    });
        } catch (IOException | RuntimeException e) {
            throw new PinningFailed("Cannot list the processes: " + e.getMessage(), e);
        }
        return children;
    }

    private static void taskset(String cpus, long pid) {
        tasksetOutput("-p", "-c", cpus, Long.toString(pid));
    }

    /** Moves a process that may have ended since it was listed. */
    private static void tasksetIfAlive(String cpus, long pid) {
        try {
            taskset(cpus, pid);
        } catch (PinningFailed e) {
            if (Files.exists(Path.of("/proc", Long.toString(pid)))) {
                throw e;
            }
        }
    }

    /** Runs taskset with these arguments and returns what it printed. */
    private static String tasksetOutput(String... arguments) {
        List<String> command = new ArrayList<>(List.of("taskset"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new PinningFailed(String.join(" ", command) + " failed: " + output.trim(), null);
            }
            return output;
        } catch (IOException e) {
            throw new PinningFailed("Cannot run taskset: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PinningFailed("Interrupted while running " + String.join(" ", command), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
