using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Quarry.Server.Quality;

/// <summary>A quality check not bound to a container; a check is created from it with <c>template_id</c>.</summary>
public sealed class QualityCheckTemplate
{
    public int Id { get; set; }
    public required string Rule { get; set; }
    public string FieldsJson { get; set; } = "[]";
    public string PropertiesJson { get; set; } = "{}";
    public string? Filter { get; set; }
    public double Coverage { get; set; } = 1;
    public string? Description { get; set; }
    public string TagsJson { get; set; } = "[]";
    public string? AdditionalMetadataJson { get; set; }
    public int? CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class QualityCheckTemplateConfiguration : IEntityTypeConfiguration<QualityCheckTemplate>
{
    public void Configure(EntityTypeBuilder<QualityCheckTemplate> builder) => builder.HasKey(t => t.Id);
}

public static class QualityCheckTemplatesApi
{
    public static RouteGroupBuilder MapQualityCheckTemplates(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/quality-check-templates").WithTags("Quality checks").RequireMember().WithProblems();
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        // A template belongs to no datastore, so no team can own it: creating one is a Manager's call.
        group.MapPost("/", CreateAsync).RequireManager();
        return group;
    }

    private static async Task<Ok<Page<QualityCheckTemplateDto>>> ListAsync([AsParameters] PageQuery paging, QuarryDb db, CancellationToken ct)
    {
        var (rows, total) = await db.Set<QualityCheckTemplate>().AsNoTracking().OrderBy(t => t.Id).ReadPageAsync(paging, ct);
        return TypedResults.Ok(new Page<QualityCheckTemplateDto>(rows.Select(ToDto).ToList(), total, paging.PageNumber, paging.PageSize));
    }

    private static async Task<Ok<QualityCheckTemplateDto>> GetAsync(int id, QuarryDb db, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await FindAsync(db, id, ct)));

    private static async Task<Created<QualityCheckTemplateDto>> CreateAsync(QualityCheckTemplateRequest request, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var check = new QualityCheckRequest
        {
            Rule = request.Rule, Fields = request.Fields, Properties = request.Properties, Filter = request.Filter, Coverage = request.Coverage,
            Description = request.Description, Tags = request.Tags,
        };
        var errors = QualityCheckService.ValidateNew(check);
        if (errors.Count > 0) throw CatalogFields.Problem(errors);
        var now = DateTime.UtcNow;
        var template = new QualityCheckTemplate
        {
            Rule = CheckRules.Find(request.Rule!.Trim())!.Name,
            FieldsJson = QualityJson.Of(CatalogFields.CleanNames(request.Fields, "fields", errors)),
            PropertiesJson = QualityJson.Of(request.Properties),
            Filter = string.IsNullOrWhiteSpace(request.Filter) ? null : request.Filter.Trim(),
            Coverage = request.Coverage ?? 1,
            Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            TagsJson = QualityJson.Of((request.Tags ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct().Order(StringComparer.Ordinal)),
            AdditionalMetadataJson = request.AdditionalMetadata is JsonElement metadata ? CheckMetadata.Store(metadata) : null,
            CreatedByUserId = access.UserId, CreatedAt = now, UpdatedAt = now,
        };
        db.Set<QualityCheckTemplate>().Add(template);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/quality-check-templates/{template.Id}", ToDto(template));
    }

    /// <summary>Fills what a check request leaves out from the template it names.</summary>
    public static async Task ApplyAsync(QuarryDb db, QualityCheckRequest request, CancellationToken ct)
    {
        if (request.TemplateId is not int id) return;
        var template = await db.Set<QualityCheckTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct)
            ?? throw InvalidInputProblem.Single("template_id", $"no quality check template has id {id}.");
        request.Rule ??= template.Rule;
        request.Fields ??= QualityJson.Strings(template.FieldsJson);
        request.Properties ??= QualityJson.Properties(template.PropertiesJson);
        request.Filter ??= template.Filter;
        request.Coverage ??= template.Coverage;
        request.Description ??= template.Description;
        request.Tags ??= QualityJson.Strings(template.TagsJson);
        request.AdditionalMetadata ??= template.AdditionalMetadataJson is null ? null : QualityJson.Element(template.AdditionalMetadataJson);
    }

    private static async Task<QualityCheckTemplate> FindAsync(QuarryDb db, int id, CancellationToken ct) =>
        await db.Set<QualityCheckTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw NotFoundProblem.For("quality check template", id);

    private static QualityCheckTemplateDto ToDto(QualityCheckTemplate t)
    {
        var tags = QualityJson.Strings(t.TagsJson);
        return new QualityCheckTemplateDto(t.Id, t.Rule, t.Rule, QualityJson.Strings(t.FieldsJson), QualityJson.Element(t.PropertiesJson), t.Filter, t.Coverage,
            t.Description, tags, tags.Select(n => new TagNameDto(n)).ToList(), QualityJson.Element(t.AdditionalMetadataJson ?? "{}"), t.CreatedAt, t.UpdatedAt);
    }
}
