#include "core/config/yaml_writer.hpp"

#include <yaml-cpp/yaml.h>

namespace sluice::core::config {

namespace {

void emit(YAML::Emitter& out, const ConfigTree& node) {
    switch (node.kind()) {
        case sdk::ConfigKind::Null:
            out << YAML::Null;
            break;
        case sdk::ConfigKind::Scalar:
            out << (node.secret() ? kRedacted : node.scalar());
            break;
        case sdk::ConfigKind::Sequence:
            out << YAML::BeginSeq;
            for (const auto& item : node.items()) {
                emit(out, *item);
            }
            out << YAML::EndSeq;
            break;
        case sdk::ConfigKind::Map:
            out << YAML::BeginMap;
            for (const auto& [key, child] : node.entries()) {
                out << YAML::Key << key << YAML::Value;
                emit(out, *child);
            }
            out << YAML::EndMap;
            break;
    }
}

}  // namespace

std::string writeYaml(const ConfigTree& tree) {
    YAML::Emitter out;
    emit(out, tree);
    return std::string(out.c_str()) + "\n";
}

}  // namespace sluice::core::config
