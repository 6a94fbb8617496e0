package dev.rabbitworks.system.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Folders under the module's target/ for what a run leaves behind (service logs, reports). */
final class Outputs {

    private Outputs() {
    }

    static Path dir(String name) {
        Path dir = Path.of(System.getProperty("system-tests.output", "target")).resolve(name);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
