package io.pgpartition.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version the build wrote into {@code version.properties} next to this class, so that it is the same from the
 * executable jar, the thin jar and the classes folder.
 */
final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[]{"pgpartition " + number()};
    }

    /** The project version, such as {@code 0.1.0}. */
    static String number() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the pgpartition-cli jar; rebuild it with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
