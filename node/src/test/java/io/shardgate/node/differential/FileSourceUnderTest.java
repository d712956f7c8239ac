package io.shardgate.node.differential;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.shardgate.node.source.FileSource;
import io.shardgate.node.source.Source;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** The world as a directory of manifests, one file per object, written as tools do (a temporary file, then a rename). */
final class FileSourceUnderTest extends SourceUnderTest {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private final Path directory;
    private final FileSource source;

    FileSourceUnderTest(Path directory) {
        this.directory = directory;
        this.source = new FileSource(directory);
    }

    @Override
    void write(Change change, World world) throws IOException {
        if (change instanceof Change.Put put) writeObject(put.object());
        if (change instanceof Change.Delete delete) Files.deleteIfExists(fileOf(delete.ref()));
    }

    @Override
    void writeSentinel(HasMetadata sentinel) throws IOException {
        writeObject(sentinel);
    }

    private void writeObject(HasMetadata object) throws IOException {
        Path target = fileOf(World.refOf(object));
        Path temporary = target.resolveSibling(".tmp-" + target.getFileName());
        Files.writeString(temporary, YAML.asYaml(object));
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path fileOf(ObjectRef ref) {
        return directory.resolve(ref.kind().name().toLowerCase(java.util.Locale.ROOT) + "_" + ref.namespace() + "_" + ref.name() + ".yaml");
    }

    @Override
    Source source() {
        return source;
    }

    @Override
    List<InputObject> current(World world) {
        return new ArrayList<>(world.projections());
    }
}
