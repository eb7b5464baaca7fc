using Autotier.Application.Json;
using Autotier.Functions.Composition;
using Autotier.Functions.Http;
using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The Functions worker's composition root.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// One serializer for triggers, the Durable data converter and the HTTP API (AutotierJson).
builder.Services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(AutotierJson.Options));
builder.Services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => AutotierJson.Configure(o.JsonSerializerOptions));
// The caller's address for the portal's per-IP limits: the platform's last X-Forwarded-For hop only (ClientAddress).
builder.Services.PostConfigure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(ClientAddress.Configure);
builder.Services.AddAutotier(builder.Configuration);
builder.Build().Run();
