// Namespaces that the wire types use throughout, imported once here.
global using System.Globalization;
global using System.Text.Json;
global using System.Text.Json.Serialization;
global using System.Text.RegularExpressions;
