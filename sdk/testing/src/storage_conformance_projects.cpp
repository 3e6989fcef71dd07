// Conformance: ProjectRepository, for backends that keep projects (sdk::StoresProjects).

#include "sluice/sdk/storage_projects.hpp"
#include "sluice/sdk/testing/storage_conformance.hpp"
#include "storage_conformance_support.hpp"

namespace sluice::sdk::testing {

using namespace conformance;

int conformance::projectTestsAnchor() {
    return 0;
}

namespace {

ProjectTokens tokens(std::uint64_t base) {
    return {base, base / 2, base / 10, base / 20, base + base / 10};
}

ProjectRecord sampleProject(const std::string& id, const std::string& owner,
                            std::int64_t created_ms) {
    ProjectRecord project;
    project.id = id;
    project.owner_key = owner;
    project.name = "Landing page " + id;
    project.client_owner = "user_" + id;
    project.template_name = "react";
    project.workspace = "/srv/projects/" + owner + "/" + id;
    project.created_at = at(created_ms);
    project.updated_at = at(created_ms);
    return project;
}

void expectSameTokens(const ProjectTokens& actual, const ProjectTokens& expected) {
    EXPECT_EQ(actual.input_tokens, expected.input_tokens);
    EXPECT_EQ(actual.cached_input_tokens, expected.cached_input_tokens);
    EXPECT_EQ(actual.output_tokens, expected.output_tokens);
    EXPECT_EQ(actual.reasoning_tokens, expected.reasoning_tokens);
    EXPECT_EQ(actual.total_tokens, expected.total_tokens);
}

}  // namespace

void conformance::expectSame(const ProjectRecord& actual, const ProjectRecord& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.owner_key, expected.owner_key);
    EXPECT_EQ(actual.name, expected.name);
    EXPECT_EQ(actual.client_owner, expected.client_owner);
    EXPECT_EQ(actual.template_name, expected.template_name);
    EXPECT_EQ(actual.workspace, expected.workspace);
    EXPECT_EQ(actual.thread_id, expected.thread_id);
    EXPECT_EQ(actual.active_turn_id, expected.active_turn_id);
    expectSameTokens(actual.accounted_snapshot, expected.accounted_snapshot);
    expectSameTokens(actual.accounted_total, expected.accounted_total);
    EXPECT_EQ(actual.turns, expected.turns);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
}

namespace {

/// The backend's projects, or nullptr when it keeps none (the tests then skip).
ProjectRepository* projectsOf(StorageBackend& storage) {
    auto* stores = dynamic_cast<StoresProjects*>(&storage);
    return stores == nullptr ? nullptr : &stores->projects();
}

#define SLUICE_REQUIRE_PROJECTS(repo)                                \
    ProjectRepository* repo = projectsOf(storage());                 \
    if ((repo) == nullptr) {                                         \
        GTEST_SKIP() << "this backend keeps no projects (optional)"; \
    }

TEST_P(StorageConformanceTest, ProjectCreateThenGetRoundTripsEveryField) {
    SLUICE_REQUIRE_PROJECTS(projects);
    ProjectRecord project = sampleProject("prj_1", "sk-owner-a", 10);
    project.thread_id = "019a0000-0000-7000-8000-000000000001";
    project.active_turn_id = "019a0000-0000-7000-8000-000000000002";
    project.accounted_snapshot = tokens(1000);
    project.accounted_total = tokens(5000);
    project.turns = 3;
    ASSERT_TRUE(isOk(projects->create(project)));
    auto stored = projects->get("prj_1");
    ASSERT_TRUE(isOk(stored));
    expectSame(stored.value(), project);
    EXPECT_TRUE(hasCode(projects->get("prj_2"), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(projects->create(project), StatusCode::AlreadyExists));
}

TEST_P(StorageConformanceTest, ProjectUpdateReplacesMutableFieldsAndKeepsOwnerAndCreation) {
    SLUICE_REQUIRE_PROJECTS(projects);
    const ProjectRecord original = sampleProject("prj_1", "sk-owner-a", 10);
    ASSERT_TRUE(isOk(projects->create(original)));
    ProjectRecord next = original;
    next.owner_key = "sk-owner-b";
    next.created_at = at(99);
    next.name = "renamed";
    next.thread_id = "thread-2";
    next.active_turn_id = "turn-7";
    next.accounted_snapshot = tokens(700);
    next.accounted_total = tokens(900);
    next.turns = 7;
    next.updated_at = at(50);
    ASSERT_TRUE(isOk(projects->update(next)));
    ProjectRecord expected = next;
    expected.owner_key = original.owner_key;
    expected.created_at = original.created_at;
    expectSame(projects->get("prj_1").value(), expected);
    EXPECT_TRUE(
        hasCode(projects->update(sampleProject("prj_9", "sk-owner-a", 1)), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, ProjectListIsPerOwnerInCreationOrder) {
    SLUICE_REQUIRE_PROJECTS(projects);
    ASSERT_TRUE(isOk(projects->create(sampleProject("prj_c", "sk-owner-a", 30))));
    ASSERT_TRUE(isOk(projects->create(sampleProject("prj_a", "sk-owner-b", 10))));
    ASSERT_TRUE(isOk(projects->create(sampleProject("prj_b", "sk-owner-a", 20))));
    ASSERT_TRUE(isOk(projects->create(sampleProject("prj_d", "sk-owner-a", 20))));
    auto mine = projects->list("sk-owner-a");
    ASSERT_TRUE(isOk(mine));
    EXPECT_EQ(collect(mine.value(), &ProjectRecord::id),
              (std::vector<std::string>{"prj_b", "prj_d", "prj_c"}));
    EXPECT_TRUE(projects->list("sk-nobody").value().empty());
    auto all = projects->listAll();
    ASSERT_TRUE(isOk(all));
    EXPECT_EQ(collect(all.value(), &ProjectRecord::id),
              (std::vector<std::string>{"prj_a", "prj_b", "prj_d", "prj_c"}));
}

TEST_P(StorageConformanceTest, ProjectRemoveDeletesOnceThenIsNotFound) {
    SLUICE_REQUIRE_PROJECTS(projects);
    ASSERT_TRUE(isOk(projects->create(sampleProject("prj_1", "sk-owner-a", 10))));
    ASSERT_TRUE(isOk(projects->remove("prj_1")));
    EXPECT_TRUE(hasCode(projects->get("prj_1"), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(projects->remove("prj_1"), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, ProjectTokenCountsBeyondThirtyTwoBitsSurvive) {
    SLUICE_REQUIRE_PROJECTS(projects);
    ProjectRecord project = sampleProject("prj_1", "sk-owner-a", 10);
    project.accounted_total = tokens(std::uint64_t{1} << 40);
    ASSERT_TRUE(isOk(projects->create(project)));
    expectSameTokens(projects->get("prj_1")->accounted_total, project.accounted_total);
}

}  // namespace

}  // namespace sluice::sdk::testing
