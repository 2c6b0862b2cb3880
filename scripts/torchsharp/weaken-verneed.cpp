// weaken-verneed LIBRARY VERSION: marks one needed symbol version of an ELF64 little-endian shared library as weak
// (VER_FLG_WEAK), so the dynamic loader no longer refuses the library when the system lacks that version.
// Changes nothing (and says so) when the version is not needed or already weak. Exit 0 on success, 1 on error.
// Used by scripts/fix-torchsharp-natives; see docs/decisions/0004-torchsharp-natives.md.
#include <elf.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "weaken-verneed: %s\n", message.c_str());
    return 1;
}

template <typename T>
bool read_at(const std::vector<char>& bytes, size_t offset, T& value) {
    if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return false;
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) return fail("usage: weaken-verneed LIBRARY VERSION");
    const std::string path = argv[1], wanted = argv[2];
    std::vector<char> bytes;
    {
        std::ifstream in(path, std::ios::binary);
        if (!in) return fail(path + ": cannot be read");
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }

    Elf64_Ehdr header;
    if (!read_at(bytes, 0, header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
        header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB) {
        return fail(path + ": not a little-endian ELF64 file");
    }

    std::vector<Elf64_Shdr> sections(header.e_shnum);
    for (size_t i = 0; i < sections.size(); ++i) {
        if (!read_at(bytes, header.e_shoff + i * header.e_shentsize, sections[i])) return fail(path + ": truncated section table");
    }

    int changed = 0;
    for (const auto& verneed : sections) {
        if (verneed.sh_type != SHT_GNU_verneed) continue;
        if (verneed.sh_link >= sections.size()) return fail(path + ": bad string table link");
        const auto& strings = sections[verneed.sh_link];
        auto name_at = [&](size_t offset) {
            const size_t start = strings.sh_offset + offset;
            if (start >= bytes.size()) return std::string();
            const void* end = std::memchr(bytes.data() + start, 0, bytes.size() - start);
            return end ? std::string(bytes.data() + start, static_cast<const char*>(end) - (bytes.data() + start)) : std::string();
        };

        size_t entry = verneed.sh_offset;
        for (size_t n = 0; n < verneed.sh_info; ++n) {
            Elf64_Verneed need;
            if (!read_at(bytes, entry, need)) return fail(path + ": truncated version-needed entry");
            size_t aux_offset = entry + need.vn_aux;
            for (size_t a = 0; a < need.vn_cnt; ++a) {
                Elf64_Vernaux aux;
                if (!read_at(bytes, aux_offset, aux)) return fail(path + ": truncated version-needed auxiliary entry");
                if (name_at(aux.vna_name) == wanted && !(aux.vna_flags & VER_FLG_WEAK)) {
                    aux.vna_flags |= VER_FLG_WEAK;
                    std::memcpy(bytes.data() + aux_offset, &aux, sizeof aux);
                    std::printf("%s: %s from %s is now a weak requirement\n", path.c_str(), wanted.c_str(), name_at(need.vn_file).c_str());
                    ++changed;
                }
                if (aux.vna_next == 0) break;
                aux_offset += aux.vna_next;
            }
            if (need.vn_next == 0) break;
            entry += need.vn_next;
        }
    }

    if (changed == 0) {
        std::printf("%s: %s is not a strong requirement; nothing to change\n", path.c_str(), wanted.c_str());
        return 0;
    }

    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return out ? 0 : fail(path + ": cannot be written");
}
