using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Server;

/// <summary>
/// The names under which a manager shares objects (Python's <c>BaseManager.register('get_queue', ...)</c>):
/// the first process to ask for a name creates the object, every later one gets the same object. Each
/// name remembers what it was created as, so asking for it as something else fails clearly.
/// </summary>
internal sealed class NamedObjects
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Id, string Description)> _names = new(StringComparer.Ordinal);

    /// <summary>The id registered under <paramref name="name"/>, or a new one from <paramref name="create"/>.</summary>
    /// <exception cref="BrokerRequestException">The name holds a different kind of object.</exception>
    public long GetOrCreate(BrokerServer server, string name, string description, Func<long> create)
    {
        lock (_gate)
        {
            if (_names.TryGetValue(name, out (long Id, string Description) known) && server.Contains(known.Id))
            {
                if (known.Description != description)
                {
                    throw new BrokerRequestException(
                        BrokerErrorKind.InvalidOperation,
                        $"The manager already shares '{name}' as a {known.Description}; it can't be opened as a {description}. Use another name, or the same type on both sides.");
                }

                return known.Id;
            }

            long id = create();
            _names[name] = (id, description);
            return id;
        }
    }
}
