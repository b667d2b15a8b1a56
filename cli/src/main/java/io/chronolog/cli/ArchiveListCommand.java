package io.chronolog.cli;

import io.chronolog.engine.ArchivedDatabase;
import io.chronolog.engine.Archives;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chronolog archive list --url URL}: the databases an archive holds, from the archive alone. */
@Command(name = "list", description = {
    "List the databases an archive holds: the first and last archived writes, checkpoints and backups. Needs no local database.",
    "With --json, prints [{\"name\",\"first_bookmark\",\"last_bookmark\",\"first_time\",\"last_time\",\"frames\",\"checkpoints\",\"backups\"}]."})
final class ArchiveListCommand extends Verb {
    @Option(names = "--url", paramLabel = "URL", required = true, description = "The archive: s3://BUCKET[/PREFIX] or file:///PATH.")
    String url;

    @Mixin
    ArchiveLocation location;

    @Override
    public Integer call() {
        List<ArchivedDatabase> list = Archives.list(location.options(url));
        if (json) {
            printJson(Json.archived(list));
            return 0;
        }
        Renderer r = renderer();
        if (list.isEmpty()) {
            r.line("The archive at " + url + " holds no database.");
            r.flush();
            return 0;
        }
        List<List<String>> body = new ArrayList<>();
        for (ArchivedDatabase d : list) {
            body.add(List.of(d.name(), d.first() == null ? "-" : Renderer.bookmark(d.first()),
                    d.last() == null ? "-" : Renderer.bookmark(d.last()),
                    d.firstTime() == null ? "-" : Renderer.time(d.firstTime()), d.lastTime() == null ? "-" : Renderer.time(d.lastTime()),
                    Renderer.count(Json.frames(d)), Renderer.count(d.checkpoints()), Renderer.count(d.backups())));
        }
        r.table(List.of("name", "first bookmark", "last bookmark", "first write", "last write", "frames", "checkpoints", "backups"), body);
        r.line("Restore one with: chronolog" + ChronologCommand.root(spec).dataDirArgument(dataDirOption.dataDir)
                + " archive restore NAME --url " + Renderer.shellQuote(url) + " [--as NEWNAME]");
        r.flush();
        return 0;
    }
}
