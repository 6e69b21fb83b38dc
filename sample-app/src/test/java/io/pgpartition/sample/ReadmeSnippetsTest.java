package io.pgpartition.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The Java snippets of the main README's "Getting started" and "Testing your application" compile as printed
 * against the published modules, and its test snippets pass on a real PostgreSQL.
 */
class ReadmeSnippetsTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void theGettingStartedAndTestingSnippetsCompileAndTheTestsPass(@TempDir Path dir) throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        List<String> snippets = new ArrayList<>(javaBlocks(section(readme, "## Getting started")));
        snippets.addAll(javaBlocks(section(readme, "## Testing your application")));
        assertThat(snippets).as("the entity, a test on PostgreSQL, a test on Hibernate, one failing on unpruned statements").hasSize(4);

        Path sources = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> files = new ArrayList<>();
        List<String> testClasses = new ArrayList<>();
        for (String snippet : snippets) {
            Matcher pkg = Pattern.compile("(?m)^package ([\\w.]+);").matcher(snippet);
            Matcher type = Pattern.compile("(?m)^(?:public )?class (\\w+)").matcher(snippet);
            assertThat(type.find()).as("a class in%n%s", snippet).isTrue();
            String packageName = pkg.find() ? pkg.group(1) : "";
            Path file = sources.resolve(packageName.replace('.', '/')).resolve(type.group(1) + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, snippet, StandardCharsets.UTF_8);
            files.add(file.toString());
            if (type.group(1).endsWith("Test")) {
                testClasses.add((packageName.isEmpty() ? "" : packageName + ".") + type.group(1));
            }
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", classPath(), "-proc:none"));
        arguments.addAll(files);
        int status = compiler.run(null, errors, errors, arguments.toArray(String[]::new));
        assertThat(status).as("javac:%n%s", errors.toString(StandardCharsets.UTF_8)).isZero();

        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()}, getClass().getClassLoader())) {
            for (String testClass : testClasses) {
                SummaryGeneratingListener listener = new SummaryGeneratingListener();
                LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(loader.loadClass(testClass))).build(), listener);
                TestExecutionSummary summary = listener.getSummary();
                assertThat(summary.getFailures()).as("the README's %s", testClass)
                        .extracting(failure -> failure.getException().toString()).isEmpty();
                assertThat(summary.getTestsSucceededCount()).as("the README's %s ran", testClass).isEqualTo(1);
            }
        }
    }

    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + heading.length() + 2);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static List<String> javaBlocks(String text) {
        List<String> blocks = new ArrayList<>();
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        return blocks;
    }

    /** The test class path as the build gives it (surefire's, or the JVM's when run otherwise). */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
