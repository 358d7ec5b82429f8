namespace ParallelGen.Serialization;

/// <summary>Names of collection shapes for error messages, built once per element type (reads stay allocation-free).</summary>
internal static class WireNames<T>
{
    public static readonly string Array = typeof(T).Name + "[]";
    public static readonly string List = "List<" + typeof(T).Name + ">";
    public static readonly string Array2D = typeof(T).Name + "[,]";
    public static readonly string Array3D = typeof(T).Name + "[,,]";
    public static readonly string Array4D = typeof(T).Name + "[,,,]";
}
