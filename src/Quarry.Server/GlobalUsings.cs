// Namespaces that most of the server's files use, imported once here; a namespace that only a few files need (a driver,
// Mvc, an operation's folder) stays in those files. The wire types' namespaces are imported in Quarry.Server.csproj.
global using System.Globalization;
global using System.Text.Json;
global using Microsoft.AspNetCore.Builder;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.AspNetCore.Routing;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Logging;
global using Quarry.Server.Access;
global using Quarry.Server.Catalog;
global using Quarry.Server.Connections;
global using Quarry.Server.Connectors;
global using Quarry.Server.Datastores;
global using Quarry.Server.Errors;
global using Quarry.Server.Quality;
global using Quarry.Server.Store;
