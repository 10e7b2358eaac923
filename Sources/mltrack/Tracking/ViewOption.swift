import ArgumentParser
import Tracking

/// `--view active|deleted|all`: which lifecycle stage a listing shows.
enum ViewOption: String, ExpressibleByArgument, CaseIterable {
    case active, deleted, all

    var viewType: ViewType {
        switch self {
        case .active: .activeOnly
        case .deleted: .deletedOnly
        case .all: .all
        }
    }
}
