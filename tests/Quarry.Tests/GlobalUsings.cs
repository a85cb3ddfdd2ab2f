// Namespaces that most test classes use, imported once here; Xunit and the wire types' namespaces are imported in
// Quarry.Tests.csproj.
global using System.Net;
global using System.Net.Http.Json;
global using System.Text;
global using System.Text.Json;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.DependencyInjection;
global using Quarry.Cli;
global using Quarry.Server.Access;
global using Quarry.Server.Operations;
global using Quarry.Server.Store;
global using Quarry.Tests.Support;
global using Quarry.Tests.Sync;
