package dev.rabbitworks.deploy;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** One YAML document of a manifest file: as written (tree) and as Kubernetes would read it (object). */
record Manifest(Path file, int index, JsonNode tree, HasMetadata object) {

    String kind() {
        return object.getKind();
    }

    String name() {
        return object.getMetadata().getName();
    }

    /** For messages: file, document number, kind and name. */
    String where() {
        return file.getFileName() + " #" + (index + 1) + " " + kind() + "/" + name();
    }
}
