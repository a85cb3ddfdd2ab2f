// Namespaces that every benchmark uses, imported once for all of them (bench/Directory.Build.props adds this file).
global using System.Diagnostics;
global using System.Net.Http.Headers;
global using System.Net.Http.Json;
global using System.Text.Json;
global using Microsoft.Extensions.Logging;
global using Quarry.Server;
global using Quarry.Server.Store;
