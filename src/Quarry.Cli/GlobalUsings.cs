// Namespaces that most of the CLI's files use, imported once here; the wire types' namespaces are imported in
// Quarry.Cli.csproj. Server namespaces stay in the few files that name them ('serve' and 'db').
global using System.CommandLine;
global using System.Globalization;
global using System.Text.Json;
global using Quarry.Cli.Client;
global using Spectre.Console;
