package io.pgpartition.pruning.internal;

import java.util.List;

/**
 * What produced a statement, told by the frames of the thread that runs it: which of Hibernate's loaders, persisters
 * or query plans (for the report and the fix), and the application's own line that set it off.
 *
 * @param kind     what the statement does for the application
 * @param through  how the application reached it when that was not a direct call: a lazy association, an eager
 *                 association, a lazy collection; empty otherwise
 * @param callSite the first frame outside the frameworks ({@code com.acme.Visits.show(Visits.java:42)}), or empty
 */
public record Origin(Kind kind, String through, String callSite) {

    /** What a statement does for the application. */
    public enum Kind {
        ENTITY_LOAD("entity load", true),
        ENTITY_BATCH_LOAD("batch entity load", false),
        COLLECTION_LOAD("collection load", false),
        ENTITY_UPDATE("entity update", true),
        ENTITY_DELETE("entity delete", true),
        COLLECTION_UPDATE("collection update", false),
        QUERY("query (JPQL or criteria)", false),
        NATIVE_QUERY("native query", false),
        STATEMENT("statement", false);

        private final String text;
        private final boolean singleRow;

        Kind(String text, boolean singleRow) {
            this.text = text;
            this.singleRow = singleRow;
        }

        /** Whether the statement reads or writes one row by its identifier, so it should touch one partition. */
        public boolean singleRow() {
            return singleRow;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Frame class prefixes that decide the kind, innermost first wins. */
    private static final List<Object[]> KINDS = List.of(
            new Object[]{"org.hibernate.loader.ast.internal.SingleId", Kind.ENTITY_LOAD},
            new Object[]{"org.hibernate.loader.ast.internal.SingleUniqueKey", Kind.ENTITY_LOAD},
            new Object[]{"org.hibernate.loader.ast.internal.EntityBatchLoader", Kind.ENTITY_BATCH_LOAD},
            new Object[]{"org.hibernate.loader.ast.internal.MultiId", Kind.ENTITY_BATCH_LOAD},
            new Object[]{"org.hibernate.loader.ast.internal.Collection", Kind.COLLECTION_LOAD},
            new Object[]{"org.hibernate.persister.entity.mutation.UpdateCoordinator", Kind.ENTITY_UPDATE},
            new Object[]{"org.hibernate.persister.entity.mutation.DeleteCoordinator", Kind.ENTITY_DELETE},
            new Object[]{"org.hibernate.persister.collection", Kind.COLLECTION_UPDATE},
            new Object[]{"org.hibernate.query.sql.", Kind.NATIVE_QUERY},
            new Object[]{"org.hibernate.query.", Kind.QUERY});

    /** Frame class prefixes that say how the application reached the statement, innermost first wins. */
    private static final List<String[]> THROUGH = List.of(
            new String[]{"org.hibernate.proxy.", "through a lazy association"},
            new String[]{"org.hibernate.bytecode.enhance.spi.interceptor.", "through a lazy association"},
            new String[]{"org.hibernate.sql.results.graph.entity.internal.EntitySelectFetch", "through an eager association"},
            new String[]{"org.hibernate.sql.results.graph.entity.internal.BatchEntitySelectFetch", "through an eager association"},
            new String[]{"org.hibernate.sql.results.graph.entity.internal.AbstractBatchEntitySelectFetch", "through an eager association"},
            new String[]{"org.hibernate.sql.results.graph.entity.internal.BatchInitializeEntitySelectFetch", "through an eager association"},
            new String[]{"org.hibernate.sql.results.graph.collection.", "through an eager collection"},
            new String[]{"org.hibernate.collection.", "through a lazy collection"});

    /** Frames of these packages are frameworks, not the application's line. */
    private static final List<String> FRAMEWORKS = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "jakarta.",
            "org.hibernate.", "org.postgresql.", "com.zaxxer.", "org.springframework.", "net.bytebuddy.", "org.apache.",
            "io.pgpartition.pruning.", "io.pgpartition.hibernate.internal.", "io.pgpartition.hibernate.PartitionedFinder",
            "io.pgpartition.test.internal.");

    /** The origin of the statement the current thread is about to run. */
    public static Origin here() {
        return of(StackWalker.getInstance().walk(frames -> frames.map(Frame::of).toList()));
    }

    /** One frame: its class and how it prints. */
    public record Frame(String className, String text) {
        static Frame of(StackWalker.StackFrame frame) {
            return new Frame(frame.getClassName(), frame.getClassName() + "." + frame.getMethodName() + "("
                    + (frame.getFileName() == null ? "Unknown Source" : frame.getFileName() + ":" + frame.getLineNumber()) + ")");
        }
    }

    /** The origin the frames (innermost first) show. */
    public static Origin of(List<Frame> frames) {
        Kind kind = null;
        String through = "";
        String callSite = "";
        for (Frame frame : frames) {
            String name = frame.className();
            if (kind == null) {
                kind = kindOf(name);
            }
            if (through.isEmpty()) {
                through = throughOf(name);
            }
            if (callSite.isEmpty() && FRAMEWORKS.stream().noneMatch(name::startsWith) && !name.contains("$$")
                    && !name.contains("$Proxy")) {
                callSite = frame.text();
                break;
            }
        }
        return new Origin(kind == null ? Kind.STATEMENT : kind, through, callSite);
    }

    private static Kind kindOf(String className) {
        for (Object[] entry : KINDS) {
            if (className.startsWith((String) entry[0])) {
                return (Kind) entry[1];
            }
        }
        return null;
    }

    private static String throughOf(String className) {
        for (String[] entry : THROUGH) {
            if (className.startsWith(entry[0])) {
                return entry[1];
            }
        }
        return "";
    }
}
