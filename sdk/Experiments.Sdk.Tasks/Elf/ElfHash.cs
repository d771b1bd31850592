namespace Experiments.Sdk.Tasks.Elf;

/// <summary>The System V ELF hash, stored next to every version name (<c>vna_hash</c>, <c>vd_hash</c>).</summary>
internal static class ElfHash
{
    public static uint Compute(string name)
    {
        uint hash = 0;
        foreach (char c in name)
        {
            hash = (hash << 4) + (byte)c;
            uint high = hash & 0xf0000000;
            if (high != 0)
            {
                hash ^= high >> 24;
            }

            hash &= ~high;
        }

        return hash;
    }
}
