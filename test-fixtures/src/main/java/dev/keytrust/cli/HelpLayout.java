package dev.keytrust.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How the command line's help reads: as wide as the terminal, the command list showing each command's first full
 * sentence (picocli shows the first description line, cut mid-sentence), and {@code -V} on every subcommand.
 */
public final class HelpLayout {
    private HelpLayout() {
    }

    static void apply(CommandLine root) {
        root.setUsageHelpAutoWidth(true);
        root.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commandList);
        for (CommandLine sub : root.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new VersionProvider());
        }
    }

    private static String commandList(Help help) {
        Map<String, Help> commands = help.subcommands();
        if (commands.isEmpty()) {
            return "";
        }
        int nameWidth = commands.keySet().stream().mapToInt(String::length).max().orElse(10) + 4;
        int width = help.commandSpec().usageMessage().width();
        TextTable table = TextTable.forColumns(help.colorScheme(),
                new Column(nameWidth, 2, Column.Overflow.SPAN),
                new Column(Math.max(30, width - nameWidth), 1, Column.Overflow.WRAP));
        for (Map.Entry<String, Help> e : commands.entrySet()) {
            table.addRowValues(e.getKey(), summary(e.getValue().commandSpec().usageMessage()));
        }
        return table.toString();
    }

    /** The command's first sentence: its header if it has one, else its description up to the first ". ". */
    static String summary(UsageMessageSpec usage) {
        String text = String.join(" ", usage.header().length > 0 ? usage.header() : usage.description()).strip();
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end + 1);
    }
}
